package com.example.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.txkit.Database;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

/**
 * The application's tests as users write them, with Boot's test support (which needs the JUnit that
 * Boot manages: the old txkit-bom brought JUnit 5.11 and this class failed with NoSuchMethodError).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class GuestbookSpringBootTest {
    @Autowired
    Database db;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    @Transactional
    void txkitJoinsTheTestsSpringTransaction() {
        // Spring's test transaction is rolled back after the test; txkit's statements join it.
        db.sql("insert into guestbook (name) values (?)", "carol").update();
        assertThat(jdbc.queryForObject("select count(*) from guestbook where name = 'carol'", Long.class)).isEqualTo(1);
        Long seenByTxkit = db.inTransaction(tx -> tx.sql("select count(*) from guestbook where name = 'carol'")
                .one(Long.class));
        assertThat(seenByTxkit).isEqualTo(1);
    }
}
