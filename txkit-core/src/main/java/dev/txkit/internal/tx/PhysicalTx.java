package dev.txkit.internal.tx;

import dev.txkit.ErrorCode;
import dev.txkit.Savepoint;
import dev.txkit.Sql;
import dev.txkit.Transaction;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.dialect.Dialect;
import dev.txkit.internal.Engine;
import dev.txkit.internal.jdbc.Errors;
import dev.txkit.internal.jdbc.InFlight;
import dev.txkit.internal.jdbc.SqlImpl;
import dev.txkit.internal.jdbc.StatementExecutor;
import dev.txkit.internal.table.TableImpl;
import dev.txkit.spi.TxAttempt;
import dev.txkit.table.Table;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real database transaction on its own connection. Statements are serialized by a lock, so
 * several threads carrying the same transaction never interleave on the wire. The watchdog may
 * cancel the running statement at the deadline, or roll back an idle expired transaction.
 */
public final class PhysicalTx implements Transaction, StatementExecutor {
    enum State { ACTIVE, COMMITTED, ROLLED_BACK, TIMED_OUT, UNKNOWN }

    private static final AtomicLong IDS = new AtomicLong();

    public final long id = IDS.incrementAndGet();
    final Engine engine;
    public final TxOptions options;
    final TxAttempt attempt;
    final Connection connection;
    public final Thread owner;
    final long startNanos;
    public final Throwable beginSite;
    private final long deadlineNanos;
    private final Runnable restore;
    final TxLock lock = new TxLock();
    /** Threads running propagated work in this transaction right now (see {@code scope.ScopeCarrier}). */
    public final Collection<Thread> carriers = new ConcurrentLinkedQueue<>();

    volatile State state = State.ACTIVE;
    private volatile long endNanos;
    public volatile InFlight current;
    private volatile TxkitException endCause;
    private boolean endedByCaller;
    private TxkitException rollbackOnly;
    private boolean markedByCall;
    private int savepointCounter;
    private final TxHooks hooks = new TxHooks();
    private Connection view;
    private long sessionId;
    private boolean manual;
    private PhysicalTx previousBinding;

    PhysicalTx(Engine engine, TxOptions options, TxAttempt attempt, Connection connection, Runnable restore) {
        this.engine = engine;
        this.options = options;
        this.attempt = attempt;
        this.connection = connection;
        this.restore = restore;
        this.owner = Thread.currentThread();
        this.startNanos = System.nanoTime();
        this.deadlineNanos = startNanos + options.timeout().toNanos();
        this.beginSite = engine.settings.captureBeginSite ? new Throwable("transaction " + id + " began here") : null;
    }

    /** A transaction from {@code begin()}: routes the scope's calls until it ends. */
    public void bindManually(PhysicalTx previous) {
        manual = true;
        previousBinding = previous;
        engine.slot.set(this);
    }

    private void unbindManual() {
        if (manual && Thread.currentThread() == owner) {
            engine.unbind(this, previousBinding);
        }
    }

    @Override
    public Dialect dialect() {
        return engine.dialectOrGeneric();
    }

    @Override
    public <T> T execute(String sql, Work<T> work) {
        try {
            return run(sql, work, false);
        } catch (SQLException e) {
            throw new AssertionError("run translates every SQLException when rawErrors is false", e);
        }
    }

    /**
     * Runs a statement that plain-JDBC code issued on a view of this transaction's connection:
     * serialized and cancellable like txkit's own, but the driver's exceptions reach the caller
     * untranslated (JDBI, jOOQ and Spring translate them their own way) unless txkit itself cancelled
     * the statement, which only txkit can explain.
     */
    <T> T executeRaw(String sql, Work<T> work) throws SQLException {
        return run(sql, work, true);
    }

    private <T> T run(String sql, Work<T> work, boolean rawErrors) throws SQLException {
        lock.enter(engine.settings.rejectConcurrentUse, () -> TxMessages.concurrentUse(this, lock.holder(), current, sql));
        try {
            checkUsable(sql);
            InFlight flight = new InFlight(sql, connection, this);
            current = flight;
            try {
                T result = work.run(connection, flight);
                if (flight.cancelCode != null) {
                    // MariaDB's SLEEP() returns normally when killed: a cancelled statement is a failure regardless
                    throw statementFailed(new SQLException("statement cancelled by txkit", "57014"), flight);
                }
                return result;
            } catch (SQLException e) {
                if (rawErrors && flight.cancelCode == null) {
                    throw e;
                }
                throw statementFailed(e, flight);
            } finally {
                current = null;
            }
        } finally {
            lock.unlock();
        }
    }

    private TxkitException statementFailed(SQLException e, InFlight flight) {
        if (flight.cancelCode != null) {
            TxkitException x = new TxkitException(flight.cancelCode, flight.cancelMessage, e);
            end(flight.cancelCode == ErrorCode.TIMEOUT ? State.TIMED_OUT : State.ROLLED_BACK, x);
            return x;
        }
        if (System.nanoTime() - deadlineNanos > 0) {
            TxkitException x = timeoutError("the statement " + Errors.abbreviate(flight.sql) + " was cancelled", e);
            end(State.TIMED_OUT, x);
            return x;
        }
        TxkitException x = Errors.translate(dialect(), connection, e, flight.sql, false, engine.settings.showValues);
        if (dialect().abortsTransaction(x.code())) {
            end(State.ROLLED_BACK, x);
        }
        return x;
    }

    /** Throws unless statements may run: CLOSED after the end, TIMEOUT past the deadline. */
    private void checkUsable(String what) {
        State s = state;
        if (s != State.ACTIVE) {
            throw closedError(what);
        }
        if (System.nanoTime() - deadlineNanos > 0) {
            TxkitException x = timeoutError(what.startsWith("COMMIT") ? "COMMIT was refused"
                    : "the statement " + Errors.abbreviate(what) + " was not started", null);
            end(State.TIMED_OUT, x);
            throw x;
        }
    }

    public TxkitException closedError(String what) {
        return TxMessages.closed(id, state, endCause, what);
    }

    TxkitException timeoutError(String what, Throwable cause) {
        return TxMessages.timeout(id, (System.nanoTime() - startNanos) / 1_000_000, options.timeout(), what, cause);
    }

    /** Called by the watchdog. */
    public void onTick(long now) {
        if (state != State.ACTIVE || now - deadlineNanos < 0) {
            return;
        }
        InFlight flight = current;
        if (flight != null) {
            flight.cancel(ErrorCode.TIMEOUT, TxMessages.stripCode(timeoutError("the statement "
                    + Errors.abbreviate(flight.sql) + " was cancelled", null)));
            return;
        }
        if (!lock.tryLock()) {
            return; // a statement is starting: the next tick cancels it
        }
        try {
            end(State.TIMED_OUT, timeoutError("it was idle (no statement running) at the deadline", null));
        } finally {
            lock.unlock();
        }
    }

    /** Rolls back (quietly: failures become suppressed on {@code cause}) and releases the connection. */
    private void end(State newState, TxkitException cause) {
        if (state != State.ACTIVE) {
            return;
        }
        endCause = cause;
        rollbackConnection(cause);
        finish(newState, cause);
    }

    /** Rolls back; a failure becomes suppressed on {@code primary}, or is returned when there is none. */
    private TxkitException rollbackConnection(Throwable primary) {
        try {
            connection.rollback();
            return null;
        } catch (SQLException | RuntimeException e) {
            if (primary != null) {
                primary.addSuppressed(e);
                return null;
            }
            return e instanceof SQLException
                    ? Errors.translate(dialect(), (SQLException) e, "ROLLBACK", false, engine.settings.showValues)
                    : new TxkitException(ErrorCode.SQL_ERROR, "ROLLBACK failed", e);
        }
    }

    /** Records the outcome and gives the connection back. */
    private void finish(State newState, Throwable primary) {
        endNanos = System.nanoTime();
        state = newState;
        releaseConnection(primary);
    }

    private void releaseConnection(Throwable primary) {
        try {
            restore.run(); // options and autocommit mode back to what the pool handed out (see TxBegin)
        } catch (RuntimeException e) {
            if (primary != null) {
                primary.addSuppressed(e);
            } else {
                engine.report("restoring connection state after transaction " + id, e);
            }
        } finally {
            try {
                connection.close();
            } catch (SQLException | RuntimeException e) {
                if (primary != null) {
                    primary.addSuppressed(e);
                }
            }
            engine.unregister(this);
        }
    }

    @Override
    public Sql sql(String sql, Object... args) {
        return new SqlImpl(this, sql, args);
    }

    @Override
    public <T> Table<T> table(Class<T> type) {
        return TableImpl.of(engine, this, type);
    }

    @Override
    public void commit() {
        lock.lock();
        try {
            checkUsable("COMMIT");
            if (rollbackOnly != null) {
                TxkitException x = new TxkitException(ErrorCode.ROLLBACK_ONLY, "transaction " + id
                        + " was rolled back instead of committed because " + (markedByCall
                        ? TxMessages.stripCode(rollbackOnly) : "a joined scope failed with "
                        + rollbackOnly.getClass().getSimpleName() + "; use Propagation.NESTED to contain failures"),
                        rollbackOnly);
                end(State.ROLLED_BACK, x);
                throw x;
            }
            try {
                connection.commit();
            } catch (SQLException e) {
                TxkitException x = Errors.translate(dialect(), e, "COMMIT", true, engine.settings.showValues);
                if (x.code() == ErrorCode.COMMIT_UNKNOWN) {
                    endCause = x;
                    finish(State.UNKNOWN, x);
                } else {
                    end(State.ROLLED_BACK, x);
                }
                throw x;
            }
            endedByCaller = true;
            finish(State.COMMITTED, null);
        } finally {
            lock.unlock();
            unbindManual();
            runHooks(); // also when COMMIT failed: the afterRollback hooks and listeners must hear of it
        }
    }

    @Override
    public void rollback() {
        lock.lock();
        try {
            if (state != State.ACTIVE) {
                if (endedByCaller || state == State.COMMITTED || state == State.UNKNOWN) {
                    throw closedError("ROLLBACK");
                }
                endedByCaller = true; // txkit already rolled back after a failure: nothing left to do
                return;
            }
            endedByCaller = true;
            TxkitException failure = rollbackConnection(null);
            finish(State.ROLLED_BACK, failure);
            if (failure != null) {
                throw failure;
            }
        } finally {
            lock.unlock();
            unbindManual();
            runHooks();
        }
    }

    @Override
    public void close() {
        if (state == State.ACTIVE) {
            rollback();
        } else {
            unbindManual();
            runHooks();
        }
    }

    /** Ends the transaction after the callback threw {@code failure}; rollback problems become suppressed. */
    public void rollbackAfter(Throwable failure) {
        lock.lock();
        try {
            if (state == State.ACTIVE) {
                endedByCaller = true;
                rollbackConnection(failure);
                finish(State.ROLLED_BACK, failure);
            }
        } finally {
            lock.unlock();
        }
        runHooks();
    }

    /** Ends the transaction after the callback returned normally. */
    public void commitAfterCallback() {
        State s = state;
        if (s == State.ACTIVE) {
            commit();
            return;
        }
        if (endedByCaller && s != State.TIMED_OUT) {
            runHooks();
            return;
        }
        TxkitException cause = endCause;
        runHooks();
        if (cause == null) {
            throw closedError("COMMIT");
        }
        throw new TxkitException(cause.code(), "the callback returned normally, but transaction " + id
                + " had already been rolled back: " + TxMessages.stripCode(cause), cause, cause.sqlState(), cause.vendorCode());
    }

    @Override
    public void setRollbackOnly() {
        lock.lock();
        try {
            requireOpen("setRollbackOnly()");
            if (rollbackOnly == null) {
                markedByCall = true;
                rollbackOnly = new TxkitException(ErrorCode.ROLLBACK_ONLY, "setRollbackOnly() was called on it (thread '"
                        + Thread.currentThread().getName() + "')");
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isRollbackOnly() {
        lock.lock();
        try {
            return rollbackOnly != null;
        } finally {
            lock.unlock();
        }
    }

    void markRollbackOnly(Throwable cause) {
        lock.lock();
        try {
            if (rollbackOnly == null) {
                rollbackOnly = cause instanceof TxkitException ? (TxkitException) cause
                        : new TxkitException(ErrorCode.ROLLBACK_ONLY, "a joined scope failed", cause);
            }
        } finally {
            lock.unlock();
        }
    }

    private void runHooks() {
        List<Runnable> toRun;
        lock.lock();
        try {
            if (hooks.taken() || state == State.ACTIVE) {
                return;
            }
            toRun = hooks.take(state == State.COMMITTED);
            if (state == State.UNKNOWN) {
                toRun = null; // neither committed nor rolled back: neither kind of hook may claim an outcome
            }
        } finally {
            lock.unlock();
        }
        reportEnd();
        TxHooks.run(toRun, engine, "a " + (state == State.COMMITTED ? "afterCommit" : "afterRollback")
                + " hook of transaction " + id + " failed (the transaction outcome stands)");
    }

    /** Tells the listeners how the transaction ended; a lost COMMIT is neither a commit nor a rollback. */
    private void reportEnd() {
        if (state != State.UNKNOWN) {
            TxHooks.reportEnd(engine, attempt, state == State.COMMITTED, Duration.ofNanos(endNanos - startNanos));
        }
    }

    @Override
    public int attempt() {
        return attempt.number();
    }

    @Override
    public Savepoint savepoint() {
        return execute("SAVEPOINT", (c, f) -> TxSavepoint.set(this, c, ++savepointCounter));
    }

    @Override
    public void rollbackTo(Savepoint savepoint) {
        TxSavepoint.of(this, savepoint).rollbackTo();
    }

    @Override
    public void release(Savepoint savepoint) {
        TxSavepoint.of(this, savepoint).release();
    }

    @Override
    public void afterCommit(Runnable hook) {
        addHook(hook, true);
    }

    @Override
    public void afterRollback(Runnable hook) {
        addHook(hook, false);
    }

    private void addHook(Runnable hook, boolean commit) {
        if (hook == null) {
            throw new TxkitException(ErrorCode.INVALID_ARGUMENT, "hook must not be null");
        }
        lock.lock();
        try {
            requireOpen(commit ? "afterCommit" : "afterRollback");
            hooks.add(hook, commit);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Connection connection() {
        requireOpen("connection()");
        Connection v = view;
        if (v == null) {
            v = ConnectionView.of(this, false);
            view = v;
        }
        return v;
    }

    /** A view whose close is a no-op, for the transaction-aware DataSource. */
    public Connection borrowedView() {
        requireOpen("getConnection()");
        return ConnectionView.of(this, true);
    }

    private void requireOpen(String what) {
        if (state != State.ACTIVE) {
            throw closedError(what);
        }
    }

    @Override
    public TxOptions options() {
        return options;
    }

    @Override
    public boolean isActive() {
        return state == State.ACTIVE && System.nanoTime() - deadlineNanos < 0;
    }

    /** The server session id of this transaction's connection, read once. */
    public long sessionId() {
        if (sessionId == 0) { // a benign race: every thread computes the same value
            sessionId = dialect().sessionId(connection);
        }
        return sessionId;
    }

    public long ageMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    public boolean isOpen() {
        return state == State.ACTIVE;
    }

    @Override
    public String toString() {
        return "transaction " + id + " (" + state.name().toLowerCase(java.util.Locale.ROOT) + ", owner "
                + owner.getName() + ", age " + ageMillis() + " ms)";
    }
}
