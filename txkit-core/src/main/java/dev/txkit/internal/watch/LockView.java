package dev.txkit.internal.watch;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;
import dev.txkit.dialect.Dialect;
import dev.txkit.internal.context.Listeners;
import dev.txkit.internal.pool.ConnectionSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Asks the server of one Database which sessions block which, with the query its {@link Dialect}
 * supplies (one query per call, whatever the number of waiters), on a connection from outside the
 * pool (which may be exhausted) and on a probe thread of this Database's own, so the watchdog never
 * does I/O. The thread is started on demand, ends after {@value #IDLE_SECONDS} s without work, and
 * is stopped by {@link #close()}. Reads are spaced as the dialect asks (MariaDB's lock tables are a
 * cache that a reader who comes too often keeps stale); the spacing is per Database, so two Databases
 * on one MariaDB server probing at the same moment may still see a stale picture and probe again
 * later. Thread-safe: tasks run one at a time on the probe thread.
 */
final class LockView {
    private static final long IDLE_SECONDS = 10;
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final ConnectionSource source;
    private final Listeners listeners;
    private final ThreadPoolExecutor probes;
    private volatile Connection side;
    private volatile boolean closed;
    private long lastRead;
    private boolean readBefore;

    LockView(ConnectionSource source, Listeners listeners) {
        this.source = source;
        this.listeners = listeners;
        this.probes = new ThreadPoolExecutor(1, 1, IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "txkit-lock-probe-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        probes.allowCoreThreadTimeOut(true);
    }

    /** Runs {@code task} on the probe thread; false when closed. */
    boolean submit(Runnable task) {
        try {
            probes.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** For each waiting session of {@code waiters}, the sessions that block it (absent: not blocked). Probe thread only. */
    Map<Long, Set<Long>> blockers(Dialect dialect, Collection<Long> waiters) throws SQLException {
        Map<Long, Set<Long>> result = new HashMap<>();
        Connection c = side(dialect);
        if (c == null) {
            return null;
        }
        // The ids are numbers the drivers reported, never user input, so they are written into the text.
        StringJoiner ids = new StringJoiner(",");
        for (long w : waiters) {
            ids.add(Long.toString(w));
        }
        String sql = dialect.blockingSessionsQuery(ids.toString());
        long spacing = dialect.blockingSessionsSpacing().toNanos();
        if (spacing > 0 && readBefore) {
            long wait = lastRead + spacing - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }
        try (Statement st = c.createStatement()) {
            st.setQueryTimeout(2);
            try (ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    result.computeIfAbsent(rs.getLong(1), k -> new HashSet<>()).add(rs.getLong(2));
                }
            }
        } finally {
            lastRead = System.nanoTime();
            readBefore = true;
        }
        return result;
    }

    /** The side connection, opened on first use; {@code null} when none can be opened (detection is then off). */
    private Connection side(Dialect dialect) throws SQLException {
        Connection c = side;
        if (c != null && !c.isClosed()) {
            return c;
        }
        c = source.openUnpooled();
        if (c == null) {
            String why = "self-deadlock detection is off: it needs a connection from outside the pool, which txkit"
                    + " can open only for a HikariCP pool configured with a jdbcUrl";
            listeners.report(why, TxkitException.of(ErrorCode.UNSUPPORTED, why));
            return null;
        }
        for (String setup : dialect.diagnosticSessionSetup()) {
            try (Statement st = c.createStatement()) {
                st.execute(setup);
            }
        }
        if (closed) {
            c.close();
            return null;
        }
        side = c;
        return c;
    }

    boolean hasSide() {
        return side != null;
    }

    void closeSide() {
        Connection c = side;
        side = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException | RuntimeException e) {
                // a diagnostics connection: nothing depends on closing it cleanly
            }
        }
    }

    /** Stops the probe thread and closes the side connection (which also ends a query in flight). */
    void close() {
        closed = true;
        probes.shutdownNow();
        closeSide();
    }
}
