package dev.txkit.spring;

import dev.txkit.testing.TestDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Points Boot's auto-configured DataSource at a throw-away test database. */
final class BootDatabases {
    private BootDatabases() {
    }

    static void register(DynamicPropertyRegistry r, TestDatabase db) {
        r.add("spring.datasource.url", db::jdbcUrl);
        r.add("spring.datasource.username", db::user);
        r.add("spring.datasource.password", db::password);
        r.add("spring.datasource.hikari.maximum-pool-size", () -> "6");
    }

    /**
     * Drops the database. Spring caches the context (and its pool) until the JVM ends, and a pool
     * holding connections can make the drop wait, so this one is left for the JVM's end too.
     */
    static void closeContextThenDrop(TestDatabase db) {
        Runtime.getRuntime().addShutdownHook(new Thread(db::close, "drop " + db.name()));
    }
}
