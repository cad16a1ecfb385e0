package dev.txkit.internal.tx;

import dev.txkit.ErrorCode;
import dev.txkit.Savepoint;
import dev.txkit.Sql;
import dev.txkit.Transaction;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.dialect.Dialect;
import dev.txkit.internal.jdbc.InFlight;
import dev.txkit.internal.jdbc.LockMarks;
import dev.txkit.internal.jdbc.SqlImpl;
import dev.txkit.internal.jdbc.StatementExecutor;
import dev.txkit.internal.jdbc.TxView;
import dev.txkit.spi.TxAttempt;
import dev.txkit.table.Table;

import java.sql.Connection;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;

/** A real database transaction on its own connection; its statements and deadline are {@link TxStatements}'. */
public final class PhysicalTx implements Transaction, StatementExecutor, TxView {
    private static final AtomicLong IDS = new AtomicLong();

    final long id = IDS.incrementAndGet();
    final TxRuntime rt;
    final TxOptions options;
    final TxAttempt attempt;
    final Connection connection;
    final Thread owner;
    final long startNanos;
    private final Throwable beginSite;
    final TxLock lock = new TxLock();
    final TxOutcome outcome;
    final TxStatements statements;
    private int savepointCounter;
    private Connection view;
    private boolean manual;
    private PhysicalTx previousBinding;

    /** {@code restore} and {@code poolAutoCommit}: how the connection is given back (see {@link TxConnection#giveBack}). */
    PhysicalTx(TxRuntime rt, TxOptions options, TxAttempt attempt, Connection connection, Runnable restore,
               boolean poolAutoCommit) {
        this.rt = rt;
        this.options = options;
        this.attempt = attempt;
        this.connection = connection;
        this.owner = Thread.currentThread();
        this.startNanos = System.nanoTime();
        this.beginSite = rt.settings().captureBeginSite ? new Throwable("transaction " + id + " began here") : null;
        this.outcome = new TxOutcome(this, attempt, startNanos, connection, restore, poolAutoCommit, rt, lock);
        this.statements = new TxStatements(this, rt, connection, lock, outcome, startNanos, options.timeout());
    }

    /** A transaction from {@code begin()}: routes the scope's calls until it ends. */
    public void bindManually(PhysicalTx previous) {
        manual = true;
        previousBinding = previous;
        rt.slot().set(this);
    }

    private void unbindManual() {
        if (manual && Thread.currentThread() == owner) {
            rt.unbind(this, previousBinding);
        }
    }

    @Override
    public Dialect dialect() {
        return rt.dialects().orGeneric();
    }

    @Override
    public dev.txkit.internal.jdbc.SqlChecks sqlChecks() {
        return rt.sqlChecks;
    }

    @Override
    public <T> T execute(String sql, Work<T> work) {
        return statements.execute(sql, work);
    }

    @Override
    public String forRead(String sql) {
        return statements.forRead(sql);
    }

    @Override
    public void atStatement(String sql, Object values) {
        statements.atStatement(sql, values);
    }

    public TxkitException closedError(String what) {
        return outcome.closedError(what);
    }

    @Override // called by the watchdog
    public void onTick(long now) {
        statements.onTick(now);
    }

    public void stop(ErrorCode code, String why) { // see TxStatements.stop
        statements.stop(code, why);
    }

    @Override
    public Sql sql(String sql, Object... args) {
        return new SqlImpl(this, sql, args);
    }

    @Override
    public <T> Table<T> table(Class<T> type) {
        return rt.tables().table(this, type);
    }

    @Override
    public void commit() {
        lock.lock();
        try {
            statements.checkUsable("COMMIT");
            outcome.commit();
        } finally {
            lock.unlock();
            unbindManual();
            outcome.runHooks(); // also when COMMIT failed: the afterRollback hooks and listeners must hear of it
        }
    }

    @Override
    public void rollback() {
        lock.lock();
        try {
            outcome.rollback();
        } finally {
            lock.unlock();
            unbindManual();
            outcome.runHooks();
        }
    }

    @Override
    public void close() {
        if (outcome.active()) {
            rollback();
        } else {
            unbindManual();
            outcome.runHooks();
        }
    }

    /** Ends the transaction after the callback threw {@code failure}; rollback problems become suppressed. */
    public void rollbackAfter(Throwable failure) {
        lock.lock();
        try {
            outcome.rollbackAfter(failure);
        } finally {
            lock.unlock();
        }
        outcome.runHooks();
    }

    /** Ends the transaction after the callback returned normally. */
    public void commitAfterCallback() {
        if (outcome.active()) {
            commit();
        } else {
            outcome.endedBeforeReturn();
        }
    }

    @Override
    public void setRollbackOnly() {
        outcome.setRollbackOnly();
    }

    @Override
    public boolean isRollbackOnly() {
        return outcome.isRollbackOnly();
    }

    void markRollbackOnly(Throwable cause) {
        outcome.markRollbackOnly(cause);
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
        outcome.addHook(hook, true);
    }

    @Override
    public void afterRollback(Runnable hook) {
        outcome.addHook(hook, false);
    }

    @Override
    public Connection connection() {
        if (!outcome.active()) {
            throw closedError("connection()");
        }
        Connection v = view;
        if (v == null) {
            v = statements.view(false);
            view = v;
        }
        return v;
    }

    /** A view whose close is a no-op, for the transaction-aware DataSource. */
    public Connection borrowedView() {
        if (!outcome.active()) {
            throw closedError("getConnection()");
        }
        return statements.view(true);
    }

    @Override
    public TxOptions options() {
        return options;
    }

    @Override
    public boolean isActive() {
        return outcome.active() && statements.beforeDeadline();
    }

    @Override
    public long sessionId() {
        return statements.sessionId();
    }

    @Override
    public long ageMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    @Override
    public boolean isOpen() {
        return outcome.active();
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public Thread owner() {
        return owner;
    }

    @Override
    public Collection<Thread> carriers() {
        return statements.carriers();
    }

    @Override
    public InFlight current() {
        return statements.current();
    }

    @Override
    public LockMarks marks() {
        return statements.marks();
    }

    @Override
    public Throwable beginSite() {
        return beginSite;
    }

    @Override // the registry hashes every transaction, and an identity hash costs a VM call on a new object
    public int hashCode() {
        return Long.hashCode(id);
    }

    @Override
    public String toString() {
        return TxMessages.describe(this, outcome.state());
    }
}
