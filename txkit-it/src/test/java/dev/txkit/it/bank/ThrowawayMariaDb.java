package dev.txkit.it.bank;

import dev.txkit.testing.DbKind;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code mariadbd} of the test's own: {@code mariadb-install-db} into a fresh directory, then the
 * server with no option files ({@code --no-defaults}), loopback only, its own port, socket and pid
 * file, and durable commits ({@code innodb_flush_log_at_trx_commit=1}, the server default, stated).
 *
 * <p>Not thread-safe (see {@link ThrowawayServer}).
 */
final class ThrowawayMariaDb extends ThrowawayServer {
    private final Path data;
    private Process server;

    ThrowawayMariaDb() {
        super("txkit-bank-mariadb");
        this.data = dataDir.resolve("data");
    }

    private String url(String database) {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + (database == null ? "" : database);
    }

    @Override
    BankTarget target() {
        return new BankTarget(DbKind.MARIADB, url("bank"), "root", "", "bank");
    }

    @Override
    Connection adminConnection() throws SQLException {
        return DriverManager.getConnection(url(null), "root", "");
    }

    @Override
    void startServer() throws Exception {
        if (server == null) {
            run(List.of("mariadb-install-db", "--no-defaults", "--datadir=" + data, "--user=root",
                    "--auth-root-authentication-method=normal", "--skip-test-db"));
        }
        server = new ProcessBuilder("/usr/sbin/mariadbd", "--no-defaults", "--datadir=" + data,
                "--port=" + port, "--bind-address=127.0.0.1", "--socket=" + dataDir.resolve("sock"),
                "--pid-file=" + dataDir.resolve("pid"), "--user=root", "--skip-log-bin",
                "--innodb-buffer-pool-size=32M", "--innodb-flush-log-at-trx-commit=1")
                .redirectErrorStream(true).redirectOutput(dataDir.resolve("server.log").toFile()).start();
        awaitConnectable(url(null), "root");
    }

    private void run(List<String> command) throws IOException, InterruptedException {
        File log = dataDir.resolve("install.log").toFile();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("mariadb-install-db failed, see " + log);
        }
    }

    @Override
    ProcessHandle mainProcess() {
        return server.toHandle();
    }

    @Override
    void stopServer() throws InterruptedException {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor();
            }
        }
    }
}
