package dev.txkit.spring;

import dev.txkit.testing.DbKind;
import dev.txkit.testing.TestDatabase;
import dev.txkit.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link JoinContract} on PostgreSQL. */
@SpringBootTest(classes = JoinApp.class)
class JoinPostgresIT extends JoinContract {
    static final TestDatabase DB = TestDatabases.create(DbKind.POSTGRES, "spring_join");

    @DynamicPropertySource
    static void datasource(DynamicPropertyRegistry r) {
        BootDatabases.register(r, DB);
    }

    @AfterAll
    static void drop() {
        BootDatabases.closeContextThenDrop(DB);
    }

    @Override
    TestDatabase database() {
        return DB;
    }
}
