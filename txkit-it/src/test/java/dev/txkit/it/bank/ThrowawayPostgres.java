package dev.txkit.it.bank;

import dev.txkit.testing.DbKind;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * An embedded PostgreSQL (zonky) on its own port and data directory, with durable commits:
 * zonky's defaults turn {@code synchronous_commit} off, which would let a crash lose acknowledged
 * commits — the very thing the restart phase checks.
 *
 * <p>Not thread-safe (see {@link ThrowawayServer}).
 */
final class ThrowawayPostgres extends ThrowawayServer {
    private EmbeddedPostgres pg;

    ThrowawayPostgres() {
        super("txkit-bank-pg");
    }

    private String url(String schema) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres" + (schema == null ? "" : "?currentSchema=" + schema);
    }

    @Override
    BankTarget target() {
        return new BankTarget(DbKind.POSTGRES, url("bank"), "postgres", "", "bank");
    }

    @Override
    Connection adminConnection() throws SQLException {
        return DriverManager.getConnection(url(null), "postgres", "");
    }

    @Override
    void startServer() throws Exception {
        if (pg != null) {
            try {
                pg.close(); // releases zonky's lock on the data directory; the server is already dead
            } catch (IOException alreadyStopped) {
                // expected after a crash
            }
        }
        pg = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(port)
                .setServerConfig("synchronous_commit", "on").setServerConfig("fsync", "on").start();
        awaitConnectable(url(null), "postgres");
    }

    @Override
    ProcessHandle mainProcess() throws IOException {
        // the first line of postmaster.pid is the postmaster's pid
        long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
        return ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("postmaster " + pid + " is gone"));
    }

    @Override
    void stopServer() throws IOException {
        if (pg != null) {
            pg.close();
        }
    }
}
