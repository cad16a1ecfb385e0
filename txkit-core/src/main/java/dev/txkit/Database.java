package dev.txkit;

import dev.txkit.dialect.Dialect;
import dev.txkit.internal.Engine;
import dev.txkit.internal.RoutingDataSource;
import dev.txkit.internal.context.Settings;
import dev.txkit.internal.idempotency.Idempotency;
import dev.txkit.internal.jdbc.SqlImpl;
import dev.txkit.internal.pool.HikariSupport;
import dev.txkit.retry.RetryPolicy;
import dev.txkit.spi.ContextStorage;
import dev.txkit.spi.TxListener;
import dev.txkit.table.LockEscalation;
import dev.txkit.table.Table;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/**
 * The entry point: a pool of connections plus the ambient transaction of the current scope.
 * Inside a transaction scope, {@link #sql}, {@link #inTransaction} and {@link #dataSource()} join
 * that transaction, so code that only has the {@code Database} cannot escape it by accident.
 *
 * <p>Thread-safe; create one per database and share it.
 */
public final class Database implements AutoCloseable {
    private final Engine engine;
    private final AutoCloseable owned;
    private final DataSource routing;
    private final Idempotency idempotency;

    private Database(Engine engine, AutoCloseable owned) {
        this.engine = engine;
        this.owned = owned;
        this.routing = new RoutingDataSource(engine);
        this.idempotency = new Idempotency(engine);
    }

    /** Uses {@code dataSource} as it is (borrowed: {@link #close()} leaves it open). */
    public static Database create(DataSource dataSource) {
        return builder(dataSource).build();
    }

    /** Builds and owns a HikariCP pool for {@code jdbcUrl} (HikariCP must be on the class path). */
    public static Database connect(String jdbcUrl) {
        return connect(jdbcUrl, null, null);
    }

    /**
     * Builds and owns a HikariCP pool for {@code jdbcUrl} with these credentials. A malformed URL, an
     * unknown scheme or credentials inside the URL ({@code user:password@host}) fail with
     * INVALID_ARGUMENT before anything connects; a server that cannot be reached or refuses the login
     * fails with CONNECTION_FAILURE naming the host and the driver's reason. Messages and cause
     * chains never show the password.
     */
    public static Database connect(String jdbcUrl, String user, String password) {
        return builder(jdbcUrl, user, password).build();
    }

    /** A builder over a borrowed DataSource. */
    public static Builder builder(DataSource dataSource) {
        if (dataSource == null) {
            throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "dataSource must not be null");
        }
        return new Builder(dataSource, null, null, null);
    }

    /** A builder that will create and own a HikariCP pool. */
    public static Builder builder(String jdbcUrl, String user, String password) {
        dev.txkit.internal.pool.JdbcUrls.validate(jdbcUrl);
        if (!HikariSupport.AVAILABLE) {
            throw TxkitException.of(ErrorCode.UNSUPPORTED, "Database.connect needs HikariCP on the class path"
                    + " (com.zaxxer:HikariCP); or build a pool yourself and use Database.create(dataSource)");
        }
        return new Builder(null, jdbcUrl, user, password);
    }

    /** Runs {@code callback} in a transaction with {@link TxOptions#defaults()} and returns its result. */
    public <R, X extends Exception> R inTransaction(TxCallback<R, X> callback) throws X {
        return engine.inTransaction(engine.defaults(), callback);
    }

    /** Runs {@code callback} in a transaction with {@code options} and returns its result. */
    public <R, X extends Exception> R inTransaction(TxOptions options, TxCallback<R, X> callback) throws X {
        return engine.inTransaction(options, callback);
    }

    /** Runs {@code consumer} in a transaction with {@link TxOptions#defaults()}. */
    public <X extends Exception> void useTransaction(TxConsumer<X> consumer) throws X {
        useTransaction(engine.defaults(), consumer);
    }

    /** Runs {@code consumer} in a transaction with {@code options}. */
    public <X extends Exception> void useTransaction(TxOptions options, TxConsumer<X> consumer) throws X {
        if (consumer == null) {
            throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "callback must not be null");
        }
        engine.inTransaction(options, tx -> {
            consumer.accept(tx);
            return null;
        }, consumer.getClass()); // the caller's call site is the contention key, not this wrapper's
    }

    /**
     * Runs independent steps in order in one transaction and returns their results in the same
     * order (Prisma's {@code $transaction([...])}). If any step fails, none takes effect.
     */
    public <R> List<R> inSequence(TxOptions options, List<? extends TxCallback<? extends R, ? extends RuntimeException>> steps) {
        if (steps == null) {
            throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "steps must not be null");
        }
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i) == null) {
                throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "step " + i + " must not be null");
            }
        }
        return engine.inTransaction(options, tx -> {
            List<R> results = new ArrayList<>(steps.size());
            for (TxCallback<? extends R, ? extends RuntimeException> step : steps) {
                results.add(step.apply(tx));
            }
            return results;
        }, steps.isEmpty() ? null : steps.get(0).getClass());
    }

    /** {@link #inSequence(TxOptions, List)} with default options. */
    @SafeVarargs
    public final <R> List<R> inSequence(TxCallback<? extends R, ? extends RuntimeException>... steps) {
        if (steps == null) {
            throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "steps must not be null");
        }
        return inSequence(engine.defaults(), java.util.Arrays.asList(steps));
    }

    /**
     * Starts a transaction with default options; close it without commit to roll back. A manual
     * transaction is never retried: txkit cannot run your code again, so a conflict reaches you as
     * a {@link TxkitException} whose {@link TxkitException#retryable()} says whether to try again.
     * Prefer {@link #inTransaction} when retries matter.
     */
    public Transaction begin() {
        return engine.begin(engine.defaults());
    }

    /** Starts a transaction; until it ends it is the ambient transaction of this scope. Never retried. */
    public Transaction begin(TxOptions options) {
        return engine.begin(options);
    }

    /**
     * Runs {@code work} at most once per {@code key} (seed 001's idempotent API, as Stripe and Slack
     * do it) in a transaction with default options, and returns its result; a repeated call with the
     * same key returns the stored result without running {@code work}. See
     * {@link #idempotent(TxOptions, IdempotencyKey, ResultCodec, TxCallback)}.
     */
    public <R, X extends Exception> R idempotent(IdempotencyKey key, ResultCodec<R> codec, TxCallback<R, X> work)
            throws X {
        return idempotency.run(engine.defaults(), key, codec, work);
    }

    /**
     * Runs {@code work} at most once per {@code key}, in a transaction with {@code options}.
     * <ul>
     *   <li>The key is claimed inside the same transaction as the work, by inserting it into the
     *       table {@code txkit_idempotency} (created on first use; DDL in the README), and the
     *       result, encoded by {@code codec}, is stored in the same row before COMMIT. Only work that
     *       commits leaves a key behind: a failed attempt can be repeated with the same key.</li>
     *   <li>A repeat with the same key returns the stored result; a concurrent repeat waits on the
     *       key until the first commits, then returns its result. Work runs once either way.</li>
     *   <li>A repeat whose request fingerprint differs fails with
     *       {@link ErrorCode#IDEMPOTENCY_MISMATCH}; an expired key counts as unused.</li>
     *   <li>Conflicts are retried as for {@link #inTransaction}. If the connection is lost while
     *       COMMIT is in flight ({@link ErrorCode#COMMIT_UNKNOWN}), txkit looks the key up on a new
     *       connection: if present the committed result is returned, else the work runs once more.</li>
     * </ul>
     * Inside an enclosing transaction (REQUIRED/MANDATORY/NESTED) the key is claimed in that
     * transaction and an unknown COMMIT outcome is left to its owner.
     */
    public <R, X extends Exception> R idempotent(TxOptions options, IdempotencyKey key, ResultCodec<R> codec,
                                                 TxCallback<R, X> work) throws X {
        return idempotency.run(options, key, codec, work);
    }

    /** Deletes expired idempotency keys from {@code txkit_idempotency}; returns how many were deleted. */
    public int purgeExpiredIdempotencyKeys() {
        return idempotency.purgeExpired();
    }

    /** A statement that runs in the current scope's transaction, or in autocommit when there is none. */
    public Sql sql(String sql, Object... args) {
        return new SqlImpl(engine.router(), sql, args);
    }

    /**
     * The table of record type {@code type} (see {@link Table}): its statements join the transaction
     * of the current scope, or run in autocommit when there is none.
     */
    public <T> Table<T> table(Class<T> type) {
        return engine.table(type);
    }

    /**
     * Runs a read-modify-write {@code work} with optimistic retry (seed 000's {@code withOptimisticRetry}):
     * each attempt in its own transaction; an attempt that fails with {@link ErrorCode#OPTIMISTIC_CONFLICT}
     * (or a failure {@code policy} retries) is rolled back and run again after the policy's backoff, until
     * the policy's attempts or time budget are spent. After a conflict the retried attempts read with row
     * locks ({@link LockEscalation#AFTER_CONFLICT}), so a hot row cannot make them lose forever. Must not
     * be called inside a transaction ({@link ErrorCode#MISUSE}): the retry has to own all of it.
     */
    public <R, X extends Exception> R optimistic(RetryPolicy policy, TxCallback<R, X> work) throws X {
        return engine.optimistic(engine.defaults(), policy, LockEscalation.AFTER_CONFLICT, work);
    }

    /** {@link #optimistic(RetryPolicy, TxCallback)} with a choice of lock escalation. */
    public <R, X extends Exception> R optimistic(RetryPolicy policy, LockEscalation escalation, TxCallback<R, X> work)
            throws X {
        return engine.optimistic(engine.defaults(), policy, escalation, work);
    }

    /**
     * A transaction-aware DataSource for JDBI, jOOQ, Spring's JdbcTemplate and plain JDBC. Inside a
     * scope, {@code getConnection()} returns a view of the scope's transaction connection: its
     * {@code close} is a no-op, {@code commit}, {@code rollback} and {@code setAutoCommit(true)} fail
     * with MISUSE, and its statements run serialized with the transaction's own. Outside a scope it
     * returns a pooled connection (waiting at most the default maxWait), which txkit watches for
     * self-deadlocks and pool exhaustion.
     */
    public DataSource dataSource() {
        return routing;
    }

    /**
     * Wraps {@code task} so that, on whatever thread runs it, it runs inside the transaction of the
     * current scope (captured now): {@code db.sql}, {@code db.inTransaction} and {@link #dataSource()}
     * join it there, and the thread's own binding is restored when the task ends. Statements from
     * several threads are serialized on the transaction's connection. Work that still runs after the
     * transaction ended fails with CLOSED. Without a scope the task runs outside any transaction.
     * (A lambda whose body is a single expression with a value, like {@code () -> db.sql(…).update()},
     * picks the {@code Callable} overload; write {@code () -> { …; }} where a {@code Runnable} is needed.)
     */
    public Runnable propagate(Runnable task) {
        return engine.propagate(task);
    }

    /** {@link #propagate(Runnable)} for a task with a result. */
    public <T> Callable<T> propagate(Callable<T> task) {
        return engine.propagate(task);
    }

    /**
     * An executor that runs each task inside the transaction of the scope that submits it (captured
     * at submission, see {@link #propagate(Runnable)}); works with platform and virtual threads.
     */
    public Executor propagating(Executor executor) {
        return engine.propagating(executor);
    }

    /** {@link #propagating(Executor)} for an ExecutorService; shutdown and the other lifecycle calls go to it. */
    public ExecutorService propagating(ExecutorService executor) {
        return engine.propagating(executor);
    }

    /** The database's dialect (asks the database on first use if the URL did not tell). */
    public Dialect dialect() {
        return engine.dialect();
    }

    /** Transactions of this Database that have begun and not yet ended. */
    public int openTransactions() {
        return engine.openTransactions();
    }

    /** Whether a transaction of this Database is bound to the current scope. */
    public boolean inScope() {
        return engine.scopeBound();
    }

    /** The pool's state as text, e.g. {@code size=10, total=10, active=0, idle=10, waiting=0}. */
    public String poolState() {
        return engine.poolState();
    }

    /** Connections currently borrowed from the pool, or -1 when the pool does not tell. */
    public int activeConnections() {
        return engine.activeConnections();
    }

    /**
     * What contention control knows now, one entry per contention key whose transactions have collided
     * (conflict, deadlock, lock timeout or lost optimistic check): whether it is hot, how many attempts it
     * admits at once, how many run and wait, and its recent conflict rate. Keys that never collided cost
     * nothing and are not listed. For dashboards and metrics; a snapshot, safe to call from any thread.
     */
    public List<KeyContention> contention() {
        return engine.tables.contention.snapshot();
    }

    /** The default options of this Database. */
    public TxOptions defaults() {
        return engine.defaults();
    }

    /** Closes the pool if txkit created it; a borrowed DataSource stays open. */
    @Override
    public void close() {
        engine.close();
        if (owned != null) {
            try {
                owned.close();
            } catch (Exception e) {
                throw TxkitException.of(ErrorCode.CONNECTION_FAILURE, "closing the pool failed", e);
            }
        }
    }

    /**
     * Configures a {@link Database}. Not thread-safe; {@link #build()} copies the settings.
     */
    public static final class Builder {
        private final DataSource dataSource;
        private final String jdbcUrl;
        private final String user;
        private final String password;
        private TxOptions defaults = TxOptions.defaults();
        private boolean strict;
        private boolean rejectConcurrentUse;
        private boolean captureBeginSite;
        private boolean showValues;
        private Duration selfDeadlockThreshold = Duration.ofMillis(200);
        private ContextStorage storage = ContextStorage.threadLocal();
        private final List<TxListener> listeners = new ArrayList<>();
        private int poolSize = 10;
        private java.util.concurrent.ScheduledExecutorService scheduler;
        private dev.txkit.spi.TransactionBridge bridge;
        private Dialect dialect;

        private Builder(DataSource dataSource, String jdbcUrl, String user, String password) {
            this.dataSource = dataSource;
            this.jdbcUrl = jdbcUrl;
            this.user = user;
            this.password = password;
        }

        /** Options used by the methods that take none. Default {@link TxOptions#defaults()}. */
        public Builder defaults(TxOptions defaults) {
            this.defaults = nonNull(defaults, "defaults");
            return this;
        }

        /**
         * The retry policy of the default options ({@code defaults().withRetry(policy)}); default
         * {@link RetryPolicy#defaults()}. Use {@link RetryPolicy#none()} to turn retries off.
         */
        public Builder retry(RetryPolicy policy) {
            this.defaults = defaults.withRetry(nonNull(policy, "retry"));
            return this;
        }

        /**
         * Strict mode, for teams that pass the {@code Transaction} explicitly: inside a transaction
         * scope, {@code db.sql(...)}, {@code db.dataSource().getConnection()} and
         * {@code db.inTransaction}/{@code db.begin} with {@link Propagation#REQUIRED} fail at once
         * with MISUSE (naming the fix) instead of silently joining. MANDATORY, NESTED and
         * REQUIRES_NEW still work: they say what they mean. Default off.
         */
        public Builder strict(boolean strict) {
            this.strict = strict;
            return this;
        }

        /**
         * When one transaction is used from several threads at once (see {@link #propagate(Runnable)}),
         * fail the statement that would have to wait for another thread's statement with MISUSE,
         * instead of running the statements one after the other. Default off (serialized); either
         * way statements never interleave on the connection.
         */
        public Builder rejectConcurrentUse(boolean reject) {
            this.rejectConcurrentUse = reject;
            return this;
        }

        /** Record where each transaction began, for diagnostics (costs a stack trace per begin). Default off. */
        public Builder captureBeginSite(boolean capture) {
            this.captureBeginSite = capture;
            return this;
        }

        /** Let driver messages that may quote bound values through (debugging only). Default off. */
        public Builder showValues(boolean show) {
            this.showValues = show;
            return this;
        }

        /**
         * How long a statement may wait on a lock held by a stuck transaction of this process before
         * it fails with SELF_DEADLOCK (PostgreSQL and MariaDB over a HikariCP pool). Default 200 ms;
         * positive and at most 365 days.
         */
        public Builder selfDeadlockThreshold(Duration threshold) {
            this.selfDeadlockThreshold = DurationCheck.positive("selfDeadlockThreshold", threshold);
            return this;
        }

        /** Where the ambient transaction is kept. Default: a thread-local. */
        public Builder contextStorage(ContextStorage storage) {
            this.storage = nonNull(storage, "contextStorage");
            return this;
        }

        public Builder listener(TxListener listener) {
            listeners.add(nonNull(listener, "listener"));
            return this;
        }

        /** Maximum size of the pool txkit builds (only for {@code connect}). Default 10. */
        public Builder poolSize(int size) {
            if (size < 1) {
                throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "poolSize must be at least 1 but was " + size);
            }
            this.poolSize = size;
            return this;
        }

        /**
         * Runs this Database's deadline watchdog (a 10 ms tick) on {@code scheduler} instead of on a daemon
         * thread of its own, as HikariCP's {@code setScheduledExecutor} does for its housekeeping. txkit
         * cancels its task on {@link Database#close()} but leaves the scheduler running. Default: its own
         * thread, stopped by {@code close()}.
         */
        public Builder scheduler(java.util.concurrent.ScheduledExecutorService scheduler) {
            this.scheduler = nonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Joins the transactions of another transaction manager on the same DataSource, in both
         * directions (see {@link dev.txkit.spi.TransactionBridge}); {@code txkit-spring-boot-starter}
         * installs Spring's. Default none.
         */
        public Builder transactionBridge(dev.txkit.spi.TransactionBridge bridge) {
            this.bridge = nonNull(bridge, "transactionBridge");
            return this;
        }

        /** Skip detecting the database product. */
        public Builder dialect(Dialect dialect) {
            this.dialect = nonNull(dialect, "dialect");
            return this;
        }

        public Database build() {
            Settings settings = new Settings(defaults, strict, rejectConcurrentUse, captureBeginSite, showValues,
                    selfDeadlockThreshold, storage, listeners, bridge, scheduler);
            if (dataSource != null) {
                return new Database(new Engine(dataSource, dialect, settings), null);
            }
            Dialect d = dialect != null ? dialect : dev.txkit.dialect.Dialects.forUrl(jdbcUrl);
            DataSource pool = HikariSupport.pool(jdbcUrl, user, password, poolSize,
                    d == null ? java.util.Map.of() : d.pooledDriverProperties());
            return new Database(new Engine(pool, d, settings), (AutoCloseable) pool);
        }

        private static <T> T nonNull(T value, String name) {
            if (value == null) {
                throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, name + " must not be null");
            }
            return value;
        }
    }
}
