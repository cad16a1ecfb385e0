package dev.txkit.internal;

import dev.txkit.Transaction;
import dev.txkit.TxCallback;
import dev.txkit.TxOptions;
import dev.txkit.dialect.Dialect;
import dev.txkit.dialect.Dialects;
import dev.txkit.internal.contention.ContentionControl;
import dev.txkit.internal.context.Checks;
import dev.txkit.internal.context.Settings;
import dev.txkit.internal.jdbc.StatementExecutor;
import dev.txkit.internal.pool.ConnectionSource;
import dev.txkit.internal.retry.AttemptHook;
import dev.txkit.internal.retry.RetryLoop;
import dev.txkit.internal.scope.PropagatingExecutorService;
import dev.txkit.internal.scope.ScopeCarrier;
import dev.txkit.internal.table.Optimistic;
import dev.txkit.internal.table.Tables;
import dev.txkit.internal.tx.PhysicalTx;
import dev.txkit.internal.tx.Scopes;
import dev.txkit.internal.tx.TxBegin;
import dev.txkit.internal.tx.TxMessages;
import dev.txkit.internal.tx.TxRuntime;
import dev.txkit.internal.watch.Watchdog;
import dev.txkit.retry.RetryPolicy;
import dev.txkit.spi.TxAttempt;
import dev.txkit.table.LockEscalation;
import dev.txkit.table.Table;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/**
 * The machinery behind one {@code Database}: wires the runtime (pool, dialect, ambient slot, registry),
 * the tables, the watchdog and the self-deadlock detector, and runs every transaction through the one
 * retry loop. The only class that knows all the internal packages; none of them refers back to it.
 * Thread-safe.
 */
public final class Engine implements dev.txkit.internal.tx.Transactions {
    private final DataSource pool;
    private final TxRuntime rt;
    public final Tables tables; // public for Database.contention()
    private final PoolShare share; // the pool's scope, registry and detector, shared by every Database over it
    /** Held here because the watchdog holds it only weakly: an unclosed, dropped Database is collected. */
    private final Watchdog.Target ticker = new Watchdog.Target() {
        @Override
        public void tick(long now) {
            Engine.this.tick(now);
        }

        @Override
        public boolean idle() {
            return rt.registry().idle() && !share.holdsSideConnection();
        }
    };
    private final Watchdog watchdog;
    /** Tells the listeners of every retry (built once: the retry loop of each call takes it). */
    private final RetryLoop.Observer retries = (f, d, e) -> runtime().listeners().emit(l -> l.retryScheduled(f, d, e));
    /** The retry loop of the calls with the default options: immutable, so one serves them all. */
    private final RetryLoop defaultLoop;

    public Engine(DataSource pool, Dialect knownDialect, Settings settings) {
        this.pool = pool instanceof RoutingDataSource ? ((RoutingDataSource) pool).engine().pool() : pool; // its pool
        ConnectionSource source = ConnectionSource.of(this.pool);
        this.tables = new Tables(this);
        this.share = PoolShares.join(this.pool, settings.storage, this);
        this.rt = new TxRuntime(settings, this.pool, source, knownDialect != null ? knownDialect
                : Dialects.forUrl(source.jdbcUrl()), tables, share.slot, share.registry);
        share.startDetector(settings, rt);
        this.defaultLoop = new RetryLoop(settings.defaults, RetryLoop.SYSTEM, retries, AttemptHook.NONE);
        this.watchdog = new Watchdog(ticker, settings.scheduler);
        share.wakeOnWork(this, watchdog::wake);
    }

    /** Closes the Database: every later use fails with CLOSED; see {@link TxRuntime#endAfterClose(boolean)}. */
    public void close() {
        PoolShares.leave(share, this); // the last Database over the pool stops the shared detector
        rt.markClosed();
        tick(System.nanoTime());
        tables.contention.close();
    }

    @Override
    public TxRuntime runtime() {
        return rt;
    }

    /** The pool as given (for the DataSource methods that are about it, not about connections). */
    public DataSource pool() {
        return pool;
    }

    // ---- transactions ------------------------------------------------------------------------

    @Override // site: the user callback's class when callback wraps it (the contention key)
    public <R, X extends Exception> R inTransaction(TxOptions options, TxCallback<R, X> callback, Object site) throws X {
        Checks.require(options, "options");
        Checks.require(callback, "callback");
        PhysicalTx outer = rt.current();
        switch (Scopes.route(rt, options, outer)) {
            case NO_TRANSACTION:
                return Scopes.withoutTransaction(rt, options, callback);
            case JOIN:
                return Scopes.joined(outer, options, callback, false);
            case NEST:
                return Scopes.joined(outer, options, callback, true);
            default:
                return fresh(options, callback, AttemptHook.NONE, ContentionControl.keyOf(options, site, callback, outer != null));
        }
    }

    @Override
    public <R, X extends Exception> R inNewTransaction(TxOptions options, TxCallback<R, X> callback, AttemptHook hook)
            throws X {
        return fresh(options, callback, hook, ContentionControl.keyOf(options, null, callback, false));
    }

    /** A new physical transaction: the only retry boundary (see {@link NewTransaction}). */
    private <R, X extends Exception> R fresh(TxOptions options, TxCallback<R, X> callback, AttemptHook hook,
                                             Object key) throws X {
        NewTransaction<R, X> call = new NewTransaction<>(rt, tables.contention, callback, key, hook == AttemptHook.NONE);
        if (options.retry().maxAttempts() == 1 && rt.listeners().isEmpty()) {
            return call.once(options); // nothing to retry, nobody to tell
        }
        return call.run(options == defaultLoop.options() && hook == AttemptHook.NONE ? defaultLoop
                : new RetryLoop(options, RetryLoop.SYSTEM, retries, hook));
    }

    /** Manual begin: the transaction is bound to the current scope until it ends. Never retried. */
    public Transaction begin(TxOptions options) {
        Checks.require(options, "options");
        PhysicalTx outer = rt.current();
        Transaction joined = Scopes.beginJoined(rt, options, outer);
        if (joined != null) {
            return joined;
        }
        PhysicalTx tx = TxBegin.start(rt, options, TxAttempt.single(options)); // manual: never retried
        tx.bindManually(outer);
        return tx;
    }

    /** {@code db.optimistic(...)}: the retry loop with the optimistic per-attempt hook. */
    @Override
    public <R, X extends Exception> R optimistic(TxOptions base, RetryPolicy policy, LockEscalation escalation,
                                                 TxCallback<R, X> work) throws X {
        return Optimistic.run(tables, base, policy, escalation, work);
    }

    // ---- statements, tables, connections -----------------------------------------------------

    /** Runs {@code db.sql(...)}: in the scope's transaction if there is one, else in autocommit. */
    public StatementExecutor router() {
        return rt.router();
    }

    /** {@code db.table(type)}: statements join the scope's transaction, else run in autocommit. */
    public <T> Table<T> table(Class<T> type) {
        return tables.table(null, type);
    }

    /**
     * The connection for {@code db.dataSource().getConnection()}: a view of the scope's transaction,
     * or a pooled connection (waiting at most the default maxWait) that txkit keeps track of.
     */
    public Connection routedConnection() throws SQLException {
        return Scopes.routedConnection(rt);
    }

    // ---- propagation -------------------------------------------------------------------------

    public Runnable propagate(Runnable task) {
        return ScopeCarrier.wrap(rt, task);
    }

    public <T> Callable<T> propagate(Callable<T> task) {
        return ScopeCarrier.wrap(rt, task);
    }

    public Executor propagating(Executor executor) {
        return ScopeCarrier.wrap(rt, executor);
    }

    public ExecutorService propagating(ExecutorService executor) {
        return new PropagatingExecutorService(rt, executor);
    }

    // ---- state -------------------------------------------------------------------------------

    /** The dialect, asking the database if it is not known yet. */
    public Dialect dialect() {
        return rt.dialects().resolve();
    }

    /** Open transactions of this Database (for leak checks and diagnostics). */
    public int openTransactions() {
        return rt.registry().open().size();
    }

    /** Whether the current scope has a transaction bound. */
    public boolean scopeBound() {
        return rt.current() != null;
    }

    public String poolState() {
        return rt.source().state();
    }

    public int activeConnections() {
        return rt.source().active();
    }

    public TxOptions defaults() {
        return rt.settings().defaults;
    }

    /** Every watchdog tick: deadlines first, then the self-deadlock detector. */
    private void tick(long now) {
        try {
            if (rt.isClosed()) {
                if (rt.endAfterClose(share.databases() == 0)) { // others' work on the pool is not this one's to end
                    watchdog.close();
                }
                return;
            }
            share.tick(now); // the pool's deadlines and detector, once per tick whichever Database ticks
        } catch (RuntimeException e) {
            rt.listeners().report("watchdog tick", e);
        }
    }
}
