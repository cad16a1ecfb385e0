package dev.txkit.examples.wallet;

import dev.txkit.testing.DbKind;
import dev.txkit.testing.TestDatabase;
import dev.txkit.testing.TestDatabases;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.UUID;

/**
 * One running service (real HTTP port, PostgreSQL in a throw-away schema: the local server, or an
 * embedded one when none is reachable) shared by every test class that extends this: Spring caches
 * the context, so it starts once per test run.
 */
@SpringBootTest(classes = WalletApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class WalletServiceTestBase {
    static final TestDatabase DB = TestDatabases.create(DbKind.POSTGRES, "wallet_service");

    static {
        // the context (and its pool) lives until the JVM ends; drop the schema after it
        Runtime.getRuntime().addShutdownHook(new Thread(DB::close, "drop " + DB.name()));
    }

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) {
        r.add("spring.datasource.url", DB::jdbcUrl);
        r.add("spring.datasource.username", DB::user);
        r.add("spring.datasource.password", DB::password);
        r.add("spring.datasource.hikari.maximum-pool-size", () -> "10");
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    String url(String path) {
        return "http://localhost:" + port + path;
    }

    /** A new wallet holding {@code balance}, unique to the calling test. */
    String newWallet(long balance) {
        String id = "w-" + UUID.randomUUID().toString().substring(0, 8);
        jdbc.update("INSERT INTO wallet (id, balance, version) VALUES (?, ?, 1)", id, balance);
        return id;
    }

    long balance(String wallet) {
        return jdbc.queryForObject("SELECT balance FROM wallet WHERE id = ?", Long.class, wallet);
    }
}
