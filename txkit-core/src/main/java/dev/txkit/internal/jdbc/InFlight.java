package dev.txkit.internal.jdbc;

import java.sql.Connection;
import java.sql.Statement;

/**
 * A statement txkit is running right now: what the watchdog needs to cancel it at a deadline and
 * what the self-deadlock detector needs to explain it. Fields are written by the running thread
 * and read by the watchdog, hence volatile.
 */
public final class InFlight {
    /**
     * How long a cancelled statement may go on before its connection is aborted: a cancel reaches a
     * server that answers in milliseconds, so a statement still running this long after it is blocked
     * on a server or network that does not answer (a partition that drops packets, a hung host).
     */
    static final long ABORT_AFTER_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(2);
    public final String sql;
    public final Thread thread;
    public final long startNanos;
    public final Connection connection;
    /** The transaction it runs in, or {@code null} in autocommit. */
    public final TxView tx;
    public volatile Statement statement;
    /** Set by the watchdog before it cancels, so the failure is reported as what it really was. */
    public volatile dev.txkit.ErrorCode cancelCode;
    public volatile String cancelMessage;
    /** When the self-deadlock detector may ask about this statement again (after it found it not blocked). */
    public volatile long nextProbeNanos;
    /** What the server last said this statement waits for, for a TIMEOUT message (set by the detector). */
    public volatile String lockWait;
    public volatile boolean probed;
    private volatile long cancelNanos;
    private volatile boolean aborted;

    public InFlight(String sql, Connection connection, TxView tx) {
        this(sql, connection, tx, System.nanoTime());
    }

    /** A statement starting at {@code startNanos} (nanoTime), for a caller that has just read the clock. */
    public InFlight(String sql, Connection connection, TxView tx, long startNanos) {
        this.sql = sql;
        this.thread = Thread.currentThread();
        this.startNanos = startNanos;
        this.connection = connection;
        this.tx = tx;
    }

    /** Registers the statement so it can be cancelled. */
    public void statement(Statement st) {
        this.statement = st;
    }

    /**
     * Cancels the statement for {@code reason}, on a thread of its own (see {@link Cancels}); returns
     * false when it had not started yet. Called again for a statement that is still running
     * {@link #ABORT_AFTER_NANOS} after its cancel, it aborts the connection ({@link Connection#abort}):
     * the call then fails at once, and the pool drops the connection.
     */
    public boolean cancel(dev.txkit.ErrorCode code, String message) {
        Statement st = statement;
        if (st == null) {
            return false;
        }
        if (cancelCode != null) {
            // already cancelled: a second cancel could hit the next statement, but one that is stuck must end
            if (!aborted && System.nanoTime() - cancelNanos >= ABORT_AFTER_NANOS) {
                aborted = true;
                Cancels.submit(() -> connection.abort(Runnable::run)); // the driver's closing runs on that thread
            }
            return true;
        }
        cancelMessage = message;
        cancelCode = code;
        cancelNanos = System.nanoTime();
        Cancels.submit(st::cancel);
        return true;
    }

    public long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
