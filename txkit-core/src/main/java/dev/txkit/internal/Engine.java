package dev.txkit.internal;

import dev.txkit.ErrorCode;
import dev.txkit.Propagation;
import dev.txkit.Transaction;
import dev.txkit.TxCallback;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.dialect.Dialect;
import dev.txkit.dialect.Dialects;
import dev.txkit.dialect.GenericDialect;
import dev.txkit.internal.context.Settings;
import dev.txkit.internal.jdbc.Errors;
import dev.txkit.internal.jdbc.InFlight;
import dev.txkit.internal.jdbc.StatementExecutor;
import dev.txkit.internal.pool.ConnectionSource;
import dev.txkit.internal.pool.PoolGuard;
import dev.txkit.internal.pool.TrackedConnection;
import dev.txkit.internal.retry.RetryLoop;
import dev.txkit.internal.retry.StatementRetry;
import dev.txkit.internal.scope.PropagatingExecutorService;
import dev.txkit.internal.scope.ScopeCarrier;
import dev.txkit.internal.tx.JoinedTx;
import dev.txkit.internal.tx.NoTx;
import dev.txkit.internal.tx.PhysicalTx;
import dev.txkit.internal.tx.TxBegin;
import dev.txkit.internal.watch.SelfDeadlockDetector;
import dev.txkit.internal.watch.Watchdog;
import dev.txkit.spi.ContextStorage;
import dev.txkit.spi.TxAttempt;
import dev.txkit.spi.TxListener;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/**
 * The machinery behind one {@code Database}: the pool, the dialect, the ambient slot, the registry
 * of open transactions and statements in flight. Thread-safe.
 */
public final class Engine {
    private static final System.Logger LOG = System.getLogger("dev.txkit");

    public final DataSource pool;
    public final ConnectionSource source;
    public final Settings settings;
    public final ContextStorage.Slot<PhysicalTx> slot;
    public final Set<PhysicalTx> open = ConcurrentHashMap.newKeySet();
    public final Set<InFlight> autoFlights = ConcurrentHashMap.newKeySet();
    /** Pooled connections handed out by {@code db.dataSource()} outside a scope and not yet closed. */
    public final Set<TrackedConnection> borrowed = ConcurrentHashMap.newKeySet();
    private volatile Dialect dialect;
    private volatile Boolean poolAutoCommit;
    private final StatementExecutor router = new Router();
    private final TxOptions autocommitOptions;
    private final PoolGuard guard = new PoolGuard(this);
    private final SelfDeadlockDetector detector;

    public Engine(DataSource pool, Dialect knownDialect, Settings settings) {
        this.pool = pool;
        this.source = ConnectionSource.of(pool);
        this.settings = settings;
        this.slot = settings.storage.newSlot("txkit@" + Integer.toHexString(System.identityHashCode(this)));
        this.dialect = knownDialect != null ? knownDialect : Dialects.forUrl(source.jdbcUrl());
        this.detector = new SelfDeadlockDetector(this);
        this.autocommitOptions = StatementRetry.optionsFor(settings.defaults);
        Watchdog.watch(this);
    }

    public void close() {
        Watchdog.forget(this);
        detector.close();
    }

    /** A pooled connection, failing fast with POOL_EXHAUSTED when waiting could never end (see {@link PoolGuard}). */
    public Connection acquire(Duration maxWait) {
        return guard.acquire(maxWait);
    }

    // ---- transactions ------------------------------------------------------------------------

    public <R, X extends Exception> R inTransaction(TxOptions options, TxCallback<R, X> callback) throws X {
        require(options, "options");
        require(callback, "callback");
        PhysicalTx outer = slot.get();
        switch (options.propagation()) {
            case NEVER:
                if (outer != null) {
                    throw new TxkitException(ErrorCode.MISUSE, "Propagation.NEVER used inside " + outer
                            + "; run this work outside the transaction or choose another propagation");
                }
                return callback.apply(new NoTx(this, options));
            case MANDATORY:
                if (outer == null) {
                    throw new TxkitException(ErrorCode.MISUSE, "Propagation.MANDATORY requires an active transaction,"
                            + " but none is active in this scope; call it from inside inTransaction");
                }
                return joined(outer, options, callback, false);
            case REQUIRED:
                if (outer != null && settings.strict) {
                    throw strictJoin("db.inTransaction(...)");
                }
                return outer == null ? fresh(options, callback) : joined(outer, options, callback, false);
            case NESTED:
                return outer == null ? fresh(options, callback) : joined(outer, options, callback, true);
            case REQUIRES_NEW:
                return fresh(options, callback);
            default:
                throw new TxkitException(ErrorCode.INVALID_ARGUMENT, "unknown propagation " + options.propagation());
        }
    }

    private <R, X extends Exception> R joined(PhysicalTx outer, TxOptions options, TxCallback<R, X> callback,
                                              boolean nested) throws X {
        if (!outer.isActive()) {
            throw outer.closedError("a " + options.propagation() + " scope");
        }
        if (options.isolation() != null && options.isolation() != outer.options.isolation()) {
            throw new TxkitException(ErrorCode.MISUSE, "a " + options.propagation() + " scope asks for "
                    + options.isolation() + " but joins " + outer + " running at "
                    + (outer.options.isolation() == null ? "the database default" : outer.options.isolation())
                    + "; isolation cannot change inside a transaction; use Propagation.REQUIRES_NEW");
        }
        if (options.readOnly() && !outer.options.readOnly()) {
            throw new TxkitException(ErrorCode.MISUSE, "a read-only " + options.propagation() + " scope cannot join "
                    + "read-write " + outer + "; use Propagation.REQUIRES_NEW for a separate read-only transaction");
        }
        JoinedTx scope = nested ? JoinedTx.nested(outer, options) : JoinedTx.participant(outer, options);
        R result;
        try {
            result = callback.apply(scope);
        } catch (Throwable t) {
            scope.failed(t);
            throw t;
        }
        scope.succeeded();
        return result;
    }

    /**
     * A new physical transaction: the only retry boundary. Each attempt begins, runs the callback and
     * commits on its own connection; a failed attempt is rolled back and its connection returned
     * before the backoff sleep. Hooks registered by a failed attempt die with it.
     */
    private <R, X extends Exception> R fresh(TxOptions options, TxCallback<R, X> callback) throws X {
        if (options.retry().maxAttempts() == 1 && settings.listeners.isEmpty()) {
            return attempt(options, callback, TxAttempt.single(options)); // no loop, no events: the common cheap path
        }
        return new RetryLoop(options, RetryLoop.SYSTEM, this::retryScheduled).run(a -> attempt(options, callback, a));
    }

    private <R, X extends Exception> R attempt(TxOptions options, TxCallback<R, X> callback, TxAttempt attempt)
            throws X {
        long start = System.nanoTime();
        if (!settings.listeners.isEmpty()) {
            emit(l -> l.attemptStarted(attempt));
        }
        PhysicalTx tx;
        try {
            tx = TxBegin.start(this, options, attempt);
        } catch (RuntimeException e) {
            attemptFailed(attempt, e, start);
            throw e;
        }
        PhysicalTx previous = slot.get();
        slot.set(tx);
        R result;
        try {
            result = callback.apply(tx);
        } catch (Throwable t) {
            slot.set(previous);
            tx.rollbackAfter(t);
            attemptFailed(attempt, t, start);
            throw t;
        }
        slot.set(previous); // hooks that run after commit must not see the ended transaction
        try {
            tx.commitAfterCallback();
        } catch (RuntimeException e) {
            attemptFailed(attempt, e, start);
            throw e;
        }
        return result;
    }

    private void attemptFailed(TxAttempt attempt, Throwable failure, long start) {
        if (!settings.listeners.isEmpty()) {
            ErrorCode code = failure instanceof TxkitException ? ((TxkitException) failure).code() : null;
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            emit(l -> l.attemptFailed(attempt, code, failure, took));
        }
    }

    private void retryScheduled(TxAttempt failed, Duration delay, TxkitException failure) {
        emit(l -> l.retryScheduled(failed, delay, failure));
    }

    /** Tells every listener; a listener that throws is logged and does not disturb the transaction. */
    public void emit(java.util.function.Consumer<TxListener> event) {
        for (TxListener l : settings.listeners) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "txkit: a TxListener failed", e);
            }
        }
    }

    /** Manual begin: the transaction is bound to the current scope until it ends. */
    public Transaction begin(TxOptions options) {
        require(options, "options");
        PhysicalTx outer = slot.get();
        switch (options.propagation()) {
            case NEVER:
                throw new TxkitException(ErrorCode.MISUSE, "begin() with Propagation.NEVER makes no sense;"
                        + " use db.sql(...) to run without a transaction");
            case MANDATORY:
            case REQUIRED:
            case NESTED:
                if (outer != null && settings.strict && options.propagation() == Propagation.REQUIRED) {
                    throw strictJoin("db.begin()");
                }
                if (outer != null) {
                    if (!outer.isActive()) {
                        throw outer.closedError("begin()");
                    }
                    return options.propagation() == Propagation.NESTED
                            ? JoinedTx.nested(outer, options) : JoinedTx.participant(outer, options);
                }
                if (options.propagation() == Propagation.MANDATORY) {
                    throw new TxkitException(ErrorCode.MISUSE, "begin() with Propagation.MANDATORY requires"
                            + " an active transaction, but none is active in this scope");
                }
                break;
            default:
                break;
        }
        PhysicalTx tx = TxBegin.start(this, options, TxAttempt.single(options)); // manual: never retried
        tx.bindManually(outer);
        return tx;
    }

    public void unbind(PhysicalTx tx, PhysicalTx previous) {
        if (slot.get() == tx) {
            slot.set(previous);
        }
    }

    // ---- statements outside transactions ----------------------------------------------------

    /** Runs {@code db.sql(...)}: in the scope's transaction if there is one, else in autocommit. */
    public StatementExecutor router() {
        return router;
    }

    private final class Router implements StatementExecutor {
        @Override
        public <T> T execute(String sql, Work<T> work) {
            PhysicalTx tx = slot.get();
            if (tx != null) {
                if (settings.strict) {
                    throw strictMisuse("db.sql(...)");
                }
                return tx.execute(sql, work);
            }
            return StatementRetry.run(autocommitOptions, Engine.this::retryScheduled, () -> autocommit(sql, work));
        }

        @Override
        public Dialect dialect() {
            return dialectOrGeneric();
        }
    }

    public TxkitException strictMisuse(String what) {
        return new TxkitException(ErrorCode.MISUSE, what + " was called on the root Database inside "
                + slot.get() + " while strict mode is on; use the Transaction passed to your callback"
                + " (tx.sql(...), tx.connection()) instead");
    }

    private TxkitException strictJoin(String what) {
        return new TxkitException(ErrorCode.MISUSE, what + " with Propagation.REQUIRED was called on the root Database"
                + " inside " + slot.get() + " while strict mode is on, where it would silently join that transaction;"
                + " use the Transaction passed to your callback instead, or say what you mean: Propagation.MANDATORY"
                + " or NESTED to join, REQUIRES_NEW for a separate transaction");
    }

    public <T> T autocommit(String sql, StatementExecutor.Work<T> work) {
        Connection c = acquire(settings.defaults.maxWait());
        InFlight flight = new InFlight(sql, c, null);
        autoFlights.add(flight);
        try {
            Dialect d = dialect(c);
            // A pool configured autoCommit=false (a common Hikari tuning) would leave the write
            // uncommitted and lose it on return: run the statement as a one-statement transaction
            // there. getAutoCommit() is answered locally by the PostgreSQL and MariaDB drivers.
            boolean commitHere = !c.getAutoCommit();
            T result;
            try {
                result = work.run(c, flight);
            } catch (SQLException e) {
                if (commitHere) {
                    rollbackQuietly(c, e);
                }
                if (flight.cancelCode != null) {
                    throw new TxkitException(flight.cancelCode, flight.cancelMessage, e);
                }
                throw Errors.translate(d, c, e, sql, false, settings.showValues);
            } catch (RuntimeException | Error e) {
                if (commitHere) {
                    rollbackQuietly(c, e);
                }
                throw e;
            }
            if (commitHere) {
                commitOneStatement(c, d);
            }
            return result;
        } catch (SQLException e) {
            throw Errors.translate(dialectOrGeneric(), e, sql, false, settings.showValues);
        } finally {
            autoFlights.remove(flight);
            try {
                c.close();
            } catch (SQLException e) {
                report("closing an autocommit connection", e);
            }
        }
    }

    private void commitOneStatement(Connection c, Dialect d) {
        try {
            c.commit();
        } catch (SQLException e) {
            TxkitException x = Errors.translate(d, e, "COMMIT", true, settings.showValues);
            if (x.code() != ErrorCode.COMMIT_UNKNOWN) {
                rollbackQuietly(c, x);
            }
            throw x;
        }
    }

    private static void rollbackQuietly(Connection c, Throwable primary) {
        try {
            c.rollback();
        } catch (SQLException | RuntimeException e) {
            primary.addSuppressed(e);
        }
    }

    /**
     * Whether the pool hands out connections in autocommit mode: HikariCP's configuration says so
     * without a JDBC call; for another pool the first connection txkit begins a transaction on is
     * asked once. A transaction puts its connection back into this mode when it ends.
     */
    public boolean poolAutoCommit(Connection c) throws SQLException {
        Boolean known = poolAutoCommit;
        if (known == null) {
            known = source.autoCommitDefault();
            if (known == null) {
                known = c.getAutoCommit();
            }
            poolAutoCommit = known;
        }
        return known;
    }

    /**
     * The connection for {@code db.dataSource().getConnection()}: a view of the scope's transaction,
     * or a pooled connection (waiting at most the default maxWait) that txkit keeps track of.
     */
    public Connection routedConnection() throws SQLException {
        PhysicalTx tx = slot.get();
        if (tx != null) {
            if (settings.strict) {
                throw strictMisuse("db.dataSource().getConnection()");
            }
            return tx.borrowedView();
        }
        return TrackedConnection.wrap(this, acquire(settings.defaults.maxWait()));
    }

    /** Runs a statement that plain-JDBC code issued on a connection from {@code db.dataSource()} outside a scope. */
    public Object runPlain(Connection c, String sql, StatementExecutor.Work<Object> work) throws SQLException {
        InFlight flight = new InFlight(sql, c, null);
        autoFlights.add(flight);
        try {
            return work.run(c, flight);
        } catch (SQLException e) {
            if (flight.cancelCode != null) {
                throw new TxkitException(flight.cancelCode, flight.cancelMessage, e);
            }
            throw e;
        } finally {
            autoFlights.remove(flight);
        }
    }

    // ---- propagation -------------------------------------------------------------------------

    public Runnable propagate(Runnable task) {
        return ScopeCarrier.wrap(this, task);
    }

    public <T> Callable<T> propagate(Callable<T> task) {
        return ScopeCarrier.wrap(this, task);
    }

    public Executor propagating(Executor executor) {
        return ScopeCarrier.wrap(this, executor);
    }

    public ExecutorService propagating(ExecutorService executor) {
        return new PropagatingExecutorService(this, executor);
    }

    // ---- dialect -----------------------------------------------------------------------------

    public Dialect dialect(Connection c) throws SQLException {
        Dialect d = dialect;
        if (d == null) {
            DatabaseMetaData meta = c.getMetaData();
            d = Dialects.forProduct(meta.getDatabaseProductName(), meta.getDatabaseProductVersion());
            dialect = d;
        }
        return d;
    }

    public Dialect dialectOrGeneric() {
        Dialect d = dialect;
        return d != null ? d : new GenericDialect("unknown database");
    }

    /** The dialect, asking the database if it is not known yet. */
    public Dialect dialect() {
        Dialect d = dialect;
        if (d != null) {
            return d;
        }
        try (Connection c = acquire(settings.defaults.maxWait())) {
            return dialect(c);
        } catch (SQLException e) {
            throw Errors.translate(dialectOrGeneric(), e, null, false, settings.showValues);
        }
    }

    public void checkSupported(Dialect d, TxOptions options) {
        if (options.isolation() != null && !d.supports(options.isolation())) {
            StringBuilder supported = new StringBuilder();
            for (dev.txkit.Isolation i : dev.txkit.Isolation.values()) {
                if (d.supports(i)) {
                    supported.append(supported.length() == 0 ? "" : ", ").append(i);
                }
            }
            throw new TxkitException(ErrorCode.UNSUPPORTED, d.name() + " does not support isolation "
                    + options.isolation() + "; it supports: " + supported);
        }
    }

    // ---- registry ----------------------------------------------------------------------------

    public void register(PhysicalTx tx) {
        open.add(tx);
    }

    public void unregister(PhysicalTx tx) {
        open.remove(tx);
    }

    /** Open transactions of this Database (for leak checks and diagnostics). */
    public int openTransactions() {
        return open.size();
    }

    /** Whether the current scope has a transaction bound. */
    public boolean scopeBound() {
        return slot.get() != null;
    }

    public PhysicalTx current() {
        return slot.get();
    }

    public void tick(long now) {
        for (PhysicalTx tx : open) {
            tx.onTick(now);
        }
        detector.tick(now);
    }

    public void report(String what, Throwable failure) {
        LOG.log(System.Logger.Level.WARNING, "txkit: " + what, failure);
        emit(l -> l.problem(what, failure));
    }

    public static void require(Object value, String name) {
        if (value == null) {
            throw new TxkitException(ErrorCode.INVALID_ARGUMENT, name + " must not be null");
        }
    }
}
