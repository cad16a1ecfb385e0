package dev.txkit.it.bank;

import dev.txkit.testing.DbKind;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A database server of the test's own — own data directory, own port — that the restart phase
 * crashes (SIGKILL to every server process, so only what was durably committed survives) and starts
 * again on the same data. The shared services on 5432/3306 are never touched.
 *
 * <p>Not thread-safe: one injector thread restarts it while clients merely connect to its port.
 */
abstract class ThrowawayServer implements AutoCloseable {
    private static final Duration STARTUP = Duration.ofSeconds(60);

    final Path dataDir;
    final int port;

    ThrowawayServer(String prefix) {
        try {
            this.dataDir = Files.createTempDirectory(prefix);
            try (ServerSocket s = new ServerSocket(0)) {
                this.port = s.getLocalPort();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A throw-away server of {@code kind}, started, with an empty bank database. */
    static ThrowawayServer start(DbKind kind) throws Exception {
        ThrowawayServer server = kind == DbKind.POSTGRES ? new ThrowawayPostgres() : new ThrowawayMariaDb();
        server.startServer();
        try (Connection c = server.adminConnection()) {
            c.createStatement().execute(kind == DbKind.POSTGRES ? "CREATE SCHEMA bank" : "CREATE DATABASE bank");
        }
        return server;
    }

    abstract BankTarget target();

    abstract Connection adminConnection() throws SQLException;

    /** Starts the server process on {@link #dataDir} and {@link #port} and returns when it accepts connections. */
    abstract void startServer() throws Exception;

    /** The server's main process (its children die with it). */
    abstract ProcessHandle mainProcess() throws IOException;

    /** Kills every server process at once, like a power cut, then starts the server again on the same data. */
    final void crashAndRestart() throws Exception {
        ProcessHandle main = mainProcess();
        List<ProcessHandle> all = new ArrayList<>(main.descendants().toList());
        all.add(main);
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : all) {
            p.onExit().get(); // the old processes must be gone before a new server takes the data directory
        }
        startServer();
    }

    /** Waits until a connection succeeds, for at most a minute (polling a starting server has no event to wait for). */
    final void awaitConnectable(String url, String user) throws Exception {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (true) {
            try (Connection ignored = DriverManager.getConnection(url, user, "")) {
                return;
            } catch (SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("throw-away server on port " + port + " did not come up", e);
                }
                Thread.sleep(100);
            }
        }
    }

    /** Stops the server and deletes its data directory. */
    @Override
    public void close() throws Exception {
        try {
            stopServer();
        } finally {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    abstract void stopServer() throws Exception;
}
