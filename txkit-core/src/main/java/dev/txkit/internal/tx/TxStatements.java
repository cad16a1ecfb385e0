package dev.txkit.internal.tx;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;
import dev.txkit.internal.jdbc.Errors;
import dev.txkit.internal.jdbc.InFlight;
import dev.txkit.internal.jdbc.LockMarks;
import dev.txkit.internal.jdbc.StatementExecutor;
import dev.txkit.internal.jdbc.TxView;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The statements of one physical transaction and its deadline: each runs under the transaction's
 * lock (so threads carrying the transaction never interleave on the wire), is registered as in flight
 * while it runs, and is translated, cancelled or refused as the deadline and the outcome say. The
 * watchdog's tick cancels the running statement at the deadline or rolls back an idle expired
 * transaction. Thread-safe: the running statement is volatile, everything else runs under the lock.
 */
final class TxStatements {
    private final TxView tx;
    private final TxRuntime rt;
    private final Connection connection;
    private final TxLock lock;
    private final TxOutcome outcome;
    private final long startNanos;
    private final long deadlineNanos;
    private final Duration timeout;
    private volatile InFlight current;
    private final LockMarks marks;
    private long sessionId;
    /**
     * Set by {@link TxBegin} for an attempt that gives up its admission place at its first write (see
     * {@link Admission}); cleared then. Only the holder of the transaction's lock touches it.
     */
    Admission leaveAtWrite;
    /**
     * Set by {@link TxBegin} for an attempt that names its row to admission at its first statement (see
     * {@link Admission#firstStatement}); cleared by the first statement of any kind. Owner thread only.
     */
    Admission rowProbe;
    /** What {@link TxBegin} left to the first statement to send, or null. */
    private DeferredBegin deferredBegin;
    /** Set by {@link TxBegin}: plain reads are sent as {@code … FOR UPDATE} (see {@link #forRead}). */
    boolean lockReads;
    /** Threads running propagated work in the transaction right now (see {@code scope.ScopeCarrier}); made on first use. */
    private volatile Collection<Thread> carriers;

    TxStatements(TxView tx, TxRuntime rt, Connection connection, TxLock lock, TxOutcome outcome, long startNanos,
                 Duration timeout) {
        this.tx = tx;
        this.rt = rt;
        this.connection = connection;
        this.lock = lock;
        this.outcome = outcome;
        this.startNanos = startNanos;
        this.timeout = timeout;
        this.deadlineNanos = startNanos + timeout.toNanos();
        this.marks = new LockMarks(deadlineNanos);
    }

    /**
     * The carriers, created by the first call (a propagated task, or the detector looking at a transaction
     * still open at a tick): a short transaction without propagated work never pays for the queue.
     */
    Collection<Thread> carriers() {
        Collection<Thread> c = carriers;
        if (c == null) {
            synchronized (this) {
                c = carriers;
                if (c == null) {
                    c = new ConcurrentLinkedQueue<>();
                    carriers = c;
                }
            }
        }
        return c;
    }

    /** Has the first statement send {@code begin} first. */
    void beginLater(DeferredBegin begin) {
        deferredBegin = begin;
    }

    /**
     * A view of the connection for plain-JDBC code ({@link ConnectionView}). Not all of a view's calls pass
     * through {@link #run}, so a start still deferred is sent first (and the attempt no longer names its row).
     */
    Connection view(boolean closeIsNoOp) {
        if (deferredBegin != null) {
            execute("BEGIN", (c, f) -> null);
        }
        return ConnectionView.of(connection, this::runRaw, closeIsNoOp);
    }

    InFlight current() {
        return current;
    }

    boolean beforeDeadline() {
        return System.nanoTime() - deadlineNanos < 0;
    }

    /** txkit's own statements: every failure translated (see {@link #run}). */
    <T> T execute(String sql, StatementExecutor.Work<T> work) {
        try {
            return run(sql, work, false);
        } catch (SQLException e) {
            throw new AssertionError("run translates every SQLException when rawErrors is false", e);
        }
    }

    /** Plain-JDBC statements on a view of the connection (see {@link #run}). */
    Object runRaw(String sql, StatementExecutor.Work<Object> work) throws SQLException {
        return run(sql, work, true);
    }

    /**
     * Runs {@code work}. With {@code rawErrors} (statements plain-JDBC code issued on a view of the
     * connection) the driver's exceptions reach the caller untranslated (JDBI, jOOQ and Spring translate
     * them their own way) unless txkit itself cancelled the statement, which only txkit can explain.
     */
    <T> T run(String sql, StatementExecutor.Work<T> work, boolean rawErrors) throws SQLException {
        if (!lock.enter(rt.settings().rejectConcurrentUse)) {
            throw TxMessages.concurrentUse(tx, lock.holder(), current, sql);
        }
        try {
            rowProbe = null; // only the first statement names the attempt's row
            long now = System.nanoTime(); // one clock read for the deadline check and the statement's start
            checkUsable(sql, now);
            InFlight flight = new InFlight(sql, connection, tx, now);
            current = flight;
            try {
                DeferredBegin begin = deferredBegin;
                if (begin != null) { // the deferred begin, sent just before the first statement
                    deferredBegin = null;
                    outcome.restoreWith(begin.send(connection));
                }
                T result = work.run(connection, flight);
                if (flight.cancelCode != null) {
                    // MariaDB's SLEEP() returns normally when killed: a cancelled statement is a failure regardless
                    throw failed(new SQLException("statement cancelled by txkit", "57014"), flight);
                }
                Admission admitted = leaveAtWrite;
                if (admitted != null && StatementText.writes(sql)) {
                    leaveAtWrite = null;
                    admitted.leave(); // it holds the rows' exclusive locks now: the next one's reads queue behind them
                }
                return result;
            } catch (SQLException e) {
                if (rawErrors && flight.cancelCode == null) {
                    throw e;
                }
                throw failed(e, flight);
            } finally {
                current = null;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Before a statement whose arguments txkit binds, on the transaction's own thread: the first one names the
     * row the attempt contends on to admission, which may end the attempt here, before anything is sent
     * (see {@link Admission#firstStatement}).
     */
    void atStatement(String sql, Object values) {
        Admission probe = rowProbe;
        if (probe != null && Thread.currentThread() == tx.owner()) { // a propagated task's cannot end the attempt
            rowProbe = null;
            probe.firstStatement(sql, values);
        }
    }

    /**
     * {@code sql} as this transaction sends the read: with {@code FOR UPDATE} appended where {@link #lockReads}
     * is set and it is a {@link StatementText#plainSelect}, else unchanged.
     */
    String forRead(String sql) {
        return lockReads && StatementText.plainSelect(sql) ? sql + " FOR UPDATE" : sql;
    }

    private TxkitException failed(SQLException e, InFlight flight) {
        if (flight.cancelCode != null) {
            TxkitException x = TxkitException.of(flight.cancelCode, flight.cancelMessage, e);
            outcome.end(flight.cancelCode == ErrorCode.TIMEOUT ? TxOutcome.State.TIMED_OUT
                    : TxOutcome.State.ROLLED_BACK, x);
            return x;
        }
        if (!beforeDeadline()) {
            TxkitException x = timeoutError("the statement " + Errors.abbreviate(flight.sql) + " was cancelled", e);
            outcome.end(TxOutcome.State.TIMED_OUT, x);
            return x;
        }
        TxkitException x = Errors.translate(rt.dialects().orGeneric(), connection, e, flight.sql, false,
                rt.settings().showValues);
        if (rt.dialects().orGeneric().abortsTransaction(x.code())) {
            outcome.end(TxOutcome.State.ROLLED_BACK, x);
        }
        return x;
    }

    /** Throws unless statements may run: CLOSED after the end, TIMEOUT past the deadline. Under the lock. */
    void checkUsable(String what) {
        checkUsable(what, System.nanoTime());
    }

    private void checkUsable(String what, long now) {
        if (!outcome.active()) {
            throw outcome.closedError(what);
        }
        if (rt.isClosed()) {
            outcome.end(TxOutcome.State.ROLLED_BACK, TxkitException.of(ErrorCode.CLOSED, "the Database was closed;"
                    + " transaction " + tx.id() + " was rolled back"));
            throw outcome.closedError(what);
        }
        if (now - deadlineNanos >= 0) {
            TxkitException x = timeoutError(what.startsWith("COMMIT") ? "COMMIT was refused"
                    : "the statement " + Errors.abbreviate(what) + " was not started", null);
            outcome.end(TxOutcome.State.TIMED_OUT, x);
            throw x;
        }
    }

    private TxkitException timeoutError(String what, Throwable cause) {
        return TxMessages.timeout(tx.id(), (System.nanoTime() - startNanos) / 1_000_000, timeout, what, cause,
                marks.lockNote());
    }

    /** The server session id of the transaction's connection, read once. */
    long sessionId() {
        if (sessionId == 0) { // a benign race: every thread computes the same value
            sessionId = rt.dialects().orGeneric().sessionId(connection);
        }
        return sessionId;
    }

    /** What the self-deadlock detector learned about this transaction, and its deadline. */
    LockMarks marks() {
        return marks;
    }

    /** The watchdog's tick: past the deadline, cancel the running statement or roll back the idle transaction. */
    void onTick(long now) {
        if (outcome.active() && now - deadlineNanos >= 0) {
            stop(ErrorCode.TIMEOUT, null);
        }
    }

    /**
     * Cancels the running statement, or rolls back the idle transaction, for {@code code} (TIMEOUT:
     * the deadline, with the timeout message; CLOSED: the Database closed, with {@code why}).
     */
    void stop(ErrorCode code, String why) {
        if (!outcome.active()) {
            return;
        }
        InFlight flight = current;
        if (flight != null) {
            String waited = flight.lockWait;
            String what = "the statement " + Errors.abbreviate(flight.sql) + " was cancelled";
            flight.cancel(code, why != null ? why : TxMessages.stripCode(waited == null ? timeoutError(what, null)
                    : TxMessages.timeout(tx.id(), (System.nanoTime() - startNanos) / 1_000_000, timeout, what, null,
                    "it was waiting for a lock: " + waited)));
            return;
        }
        if (!lock.tryLock()) {
            return; // a statement is starting: the next tick cancels it (after close, checkUsable refuses it)
        }
        try {
            outcome.end(code == ErrorCode.TIMEOUT ? TxOutcome.State.TIMED_OUT : TxOutcome.State.ROLLED_BACK, why == null
                    ? timeoutError("it was idle (no statement running) at the deadline", null) : TxkitException.of(code, why));
        } finally {
            lock.unlock();
        }
    }
}
