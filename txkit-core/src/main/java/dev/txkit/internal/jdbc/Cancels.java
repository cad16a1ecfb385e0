package dev.txkit.internal.jdbc;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where txkit sends a statement's cancel and a stuck connection's abort: daemon threads of their
 * own, never the watchdog's. A cancel opens a new connection to the server in both the PostgreSQL and
 * the MariaDB driver (a cancel request; {@code KILL QUERY}), and so does MariaDB's abort ({@code KILL});
 * towards a host that has stopped answering that blocks for the driver's connect or cancel timeout:
 * on the watchdog's one thread it would hold up every other deadline of the Database for as long. A new daemon thread per call: cancels are rare (a deadline,
 * a self-deadlock, a close), at most two per stuck statement, and no thread is kept between them.
 */
final class Cancels {
    private static final AtomicInteger THREADS = new AtomicInteger();

    /** A JDBC call made for its effect; its failure means the statement had ended or the connection was gone. */
    interface Call {
        void run() throws SQLException;
    }

    private Cancels() {
    }

    static void submit(Call call) {
        Thread t = new Thread(() -> {
            try {
                call.run();
            } catch (SQLException | RuntimeException ignored) {
                // the statement may just have finished, or the connection closed: the reason stays recorded
            }
        }, "txkit-cancel-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        t.start();
    }
}
