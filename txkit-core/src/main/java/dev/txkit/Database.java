package dev.txkit;

import dev.txkit.dialect.Dialect;
import dev.txkit.internal.Engine;
import dev.txkit.internal.RoutingDataSource;
import dev.txkit.internal.context.Settings;
import dev.txkit.internal.idempotency.Idempotency;
import dev.txkit.internal.jdbc.SqlImpl;
import dev.txkit.internal.pool.HikariSupport;
import dev.txkit.retry.RetriesExhaustedException;
import dev.txkit.retry.RetryPolicy;
import dev.txkit.table.LockEscalation;
import dev.txkit.table.Table;

import javax.sql.DataSource;
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
 * <p>Failures are {@link TxkitException}s whose {@link TxkitException#code() code} says what went wrong
 * and whether running the work again can help; a retryable failure that the retry policy gave up on
 * arrives as a {@link RetriesExhaustedException}. Thread-safe; create one per database and share it.
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

    /**
     * Uses {@code dataSource} as it is (borrowed: {@link #close()} leaves it open). Every Database over
     * the same pool shares one transaction scope (see the {@linkplain dev.txkit package documentation}
     * for how "the same pool" is found).
     *
     * @param dataSource the pool to run on; txkit never closes it
     * @return the Database, with default settings
     * @throws TxkitException {@link ErrorCode#INVALID_ARGUMENT} for {@code null}
     */
    public static Database create(DataSource dataSource) {
        return builder(dataSource).build();
    }

    /**
     * Builds and owns a HikariCP pool for {@code jdbcUrl} (HikariCP must be on the class path), with the
     * credentials the URL's parameters carry, if any. See {@link #connect(String, String, String)}.
     *
     * @param jdbcUrl the JDBC URL
     * @return the Database; {@link #close()} closes the pool
     */
    public static Database connect(String jdbcUrl) {
        return connect(jdbcUrl, null, null);
    }

    /**
     * Builds and owns a HikariCP pool for {@code jdbcUrl} with these credentials. A malformed URL, an
     * unknown scheme or credentials inside the URL ({@code user:password@host}) fail with
     * INVALID_ARGUMENT before anything connects; a server that cannot be reached or refuses the login
     * fails with CONNECTION_FAILURE naming the host and the driver's reason. Messages and cause
     * chains never show the password.
     *
     * @param jdbcUrl the JDBC URL, e.g. {@code jdbc:postgresql://127.0.0.1/app}
     * @param user the user name, or {@code null}
     * @param password the password, or {@code null}
     * @return the Database; {@link #close()} closes the pool
     * @throws TxkitException {@link ErrorCode#INVALID_ARGUMENT} for a bad URL, {@link ErrorCode#UNSUPPORTED}
     *         without HikariCP, {@link ErrorCode#CONNECTION_FAILURE} when the database cannot be reached
     */
    public static Database connect(String jdbcUrl, String user, String password) {
        return builder(jdbcUrl, user, password).build();
    }

    /**
     * A builder over a borrowed DataSource (see {@link #create(DataSource)}).
     *
     * @param dataSource the pool to run on; txkit never closes it
     * @return the builder
     * @throws TxkitException {@link ErrorCode#INVALID_ARGUMENT} for {@code null}
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(Args.nonNull(dataSource, "dataSource"), null, null, null);
    }

    /**
     * A builder that will create and own a HikariCP pool (see {@link #connect(String, String, String)}).
     * The URL is checked now; nothing connects before {@link Builder#build()}.
     *
     * @param jdbcUrl the JDBC URL
     * @param user the user name, or {@code null}
     * @param password the password, or {@code null}
     * @return the builder
     * @throws TxkitException {@link ErrorCode#INVALID_ARGUMENT} for a bad URL, {@link ErrorCode#UNSUPPORTED}
     *         without HikariCP on the class path
     */
    public static Builder builder(String jdbcUrl, String user, String password) {
        dev.txkit.internal.pool.JdbcUrls.validate(jdbcUrl);
        if (!HikariSupport.AVAILABLE) {
            throw TxkitException.of(ErrorCode.UNSUPPORTED, "Database.connect needs HikariCP on the class path"
                    + " (com.zaxxer:HikariCP); or build a pool yourself and use Database.create(dataSource)");
        }
        return new Builder(null, jdbcUrl, user, password);
    }

    /**
     * {@link #inTransaction(TxOptions, TxCallback)} with this Database's {@link #defaults()}.
     *
     * @param <R> the result type
     * @param <X> the checked exception the callback may throw
     * @param callback the work
     * @return what the callback returned, after COMMIT
     * @throws X what the callback threw, unchanged (the transaction was rolled back)
     */
    public <R, X extends Exception> R inTransaction(TxCallback<R, X> callback) throws X {
        return engine.inTransaction(engine.defaults(), callback);
    }

    /**
     * Runs {@code callback} in a transaction with {@code options} and returns its result. The transaction
     * commits when the callback returns and rolls back when it throws; retryable failures run the whole
     * callback again as {@code options.retry()} allows (at the outermost transaction only). Inside a scope
     * the options' {@link Propagation} decides whether it joins, nests or runs apart.
     *
     * @param <R> the result type
     * @param <X> the checked exception the callback may throw
     * @param options the options of this transaction
     * @param callback the work; may run more than once when retried
     * @return what the callback returned, after COMMIT
     * @throws X what the callback threw, unchanged (the transaction was rolled back)
     */
    public <R, X extends Exception> R inTransaction(TxOptions options, TxCallback<R, X> callback) throws X {
        return engine.inTransaction(options, callback);
    }

    /**
     * {@link #useTransaction(TxOptions, TxConsumer)} with this Database's {@link #defaults()}.
     *
     * @param <X> the checked exception the callback may throw
     * @param consumer the work
     * @throws X what the callback threw, unchanged (the transaction was rolled back)
     */
    public <X extends Exception> void useTransaction(TxConsumer<X> consumer) throws X {
        useTransaction(engine.defaults(), consumer);
    }

    /**
     * Runs {@code consumer} in a transaction with {@code options}, as
     * {@link #inTransaction(TxOptions, TxCallback)} does.
     *
     * @param <X> the checked exception the callback may throw
     * @param options the options of this transaction
     * @param consumer the work; may run more than once when retried
     * @throws X what the callback threw, unchanged (the transaction was rolled back)
     */
    public <X extends Exception> void useTransaction(TxOptions options, TxConsumer<X> consumer) throws X {
        Args.nonNull(consumer, "callback");
        engine.inTransaction(options, tx -> {
            consumer.accept(tx);
            return null;
        }, consumer.getClass()); // the caller's call site is the contention key, not this wrapper's
    }

    /**
     * Runs independent steps in order in one transaction and returns their results in the same
     * order (Prisma's {@code $transaction([...])}). If any step fails, none takes effect; a retry runs
     * all steps again.
     *
     * @param <R> the common result type
     * @param options the options of the transaction
     * @param steps the steps, in order; none may be {@code null}
     * @return each step's result, in order
     */
    public <R> List<R> inSequence(TxOptions options, List<? extends TxCallback<? extends R, ? extends RuntimeException>> steps) {
        Args.noNullElement(steps, "steps", "step");
        return engine.inTransaction(options, tx -> {
            List<R> results = new ArrayList<>(steps.size());
            for (TxCallback<? extends R, ? extends RuntimeException> step : steps) {
                results.add(step.apply(tx));
            }
            return results;
        }, steps.isEmpty() ? null : steps.get(0).getClass());
    }

    /**
     * {@link #inSequence(TxOptions, List)} with this Database's {@link #defaults()}.
     *
     * @param <R> the common result type
     * @param steps the steps, in order; none may be {@code null}
     * @return each step's result, in order
     */
    @SafeVarargs
    public final <R> List<R> inSequence(TxCallback<? extends R, ? extends RuntimeException>... steps) {
        return inSequence(engine.defaults(), java.util.Arrays.asList(Args.nonNull(steps, "steps")));
    }

    /**
     * Starts a transaction with default options; close it without commit to roll back. A manual
     * transaction is never retried: txkit cannot run your code again, so a conflict reaches you as
     * a {@link TxkitException} whose {@link TxkitException#retryable()} says whether to try again.
     * Prefer {@link #inTransaction} when retries matter.
     *
     * @return the transaction, the ambient one of this scope until it ends
     * @throws TxkitException {@link ErrorCode#ACQUIRE_TIMEOUT} when no connection comes within {@code maxWait}
     */
    public Transaction begin() {
        return engine.begin(engine.defaults());
    }

    /**
     * Starts a transaction with {@code options}; until it ends it is the ambient transaction of this
     * scope. Never retried (see {@link #begin()}).
     *
     * @param options the options of this transaction; its retry policy is not used
     * @return the transaction; close it (try-with-resources) to roll back what was not committed
     */
    public Transaction begin(TxOptions options) {
        return engine.begin(options);
    }

    /**
     * {@link #idempotent(TxOptions, IdempotencyKey, ResultCodec, TxCallback)} with this Database's
     * {@link #defaults()}: seed 001's idempotent API, as Stripe and Slack do it.
     *
     * @param <R> the result type
     * @param <X> the checked exception the work may throw
     * @param key the idempotency key, with the request's fingerprint
     * @param codec stores the result and reads it back
     * @param work the work to run once
     * @return the work's result, or the stored result of the call that ran it
     * @throws X what the callback threw, unchanged (the transaction was rolled back)
     */
    public <R, X extends Exception> R idempotent(IdempotencyKey key, ResultCodec<R> codec, TxCallback<R, X> work)
            throws X {
        return idempotency.run(engine.defaults(), key, codec, work);
    }

    /**
     * Runs {@code work} at most once per {@code key}, in a transaction with {@code options}: the key is
     * claimed and the result stored in the same transaction as the work, so only work that commits leaves
     * a key behind. A repeat returns the stored result; a concurrent repeat waits for the first to commit.
     * How keys are claimed, retried and expired: {@link IdempotencyKey}.
     *
     * @param <R> the result type
     * @param <X> the checked exception the work may throw
     * @param options the options of the transaction
     * @param key the idempotency key, with the request's fingerprint
     * @param codec stores the result and reads it back
     * @param work the work to run once
     * @return the work's result, or the stored result of the call that ran it
     * @throws X what the callback threw, unchanged (the transaction was rolled back)
     * @throws TxkitException {@link ErrorCode#IDEMPOTENCY_MISMATCH} for a key reused with another request;
     *         otherwise as for {@link #inTransaction(TxOptions, TxCallback)}
     */
    public <R, X extends Exception> R idempotent(TxOptions options, IdempotencyKey key, ResultCodec<R> codec,
                                                 TxCallback<R, X> work) throws X {
        return idempotency.run(options, key, codec, work);
    }

    /**
     * Deletes expired idempotency keys from {@code txkit_idempotency}, in autocommit; run it from a
     * scheduled job.
     *
     * @return how many keys were deleted
     */
    public int purgeExpiredIdempotencyKeys() {
        return idempotency.purgeExpired();
    }

    /**
     * A statement that runs in the current scope's transaction, or in autocommit when there is none.
     * Nothing is sent until a terminal method of the {@link Sql} is called.
     *
     * @param sql the statement, with {@code ?} placeholders
     * @param args the values bound to the placeholders, in order
     * @return the statement, ready to run
     */
    public Sql sql(String sql, Object... args) {
        return new SqlImpl(engine.router(), sql, args);
    }

    /**
     * The table of record type {@code type} (see {@link Table}): its statements join the transaction
     * of the current scope, or run in autocommit when there is none.
     *
     * @param <T> the record type
     * @param type a record class describing the table
     * @return the table
     * @throws TxkitException {@link ErrorCode#INVALID_ARGUMENT} for an invalid record definition
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
     *
     * @param <R> the result type
     * @param <X> the checked exception the work may throw
     * @param policy when to run the work again; {@link RetryPolicy#optimistic()} is the usual choice
     * @param work the read-modify-write; runs once per attempt
     * @return what the successful attempt returned
     * @throws X what the callback threw, unchanged (the transaction was rolled back)
     */
    public <R, X extends Exception> R optimistic(RetryPolicy policy, TxCallback<R, X> work) throws X {
        return engine.optimistic(engine.defaults(), policy, LockEscalation.AFTER_CONFLICT, work);
    }

    /**
     * {@link #optimistic(RetryPolicy, TxCallback)} with a choice of lock escalation.
     *
     * @param <R> the result type
     * @param <X> the checked exception the work may throw
     * @param policy when to run the work again
     * @param escalation whether retried attempts read with row locks
     * @param work the read-modify-write; runs once per attempt
     * @return what the successful attempt returned
     * @throws X what the callback threw, unchanged (the transaction was rolled back)
     */
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
     *
     * @return the DataSource; the same object on every call
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
     *
     * @param task the task
     * @return the wrapped task
     */
    public Runnable propagate(Runnable task) {
        return engine.propagate(task);
    }

    /**
     * {@link #propagate(Runnable)} for a task with a result.
     *
     * @param <T> the result type
     * @param task the task
     * @return the wrapped task
     */
    public <T> Callable<T> propagate(Callable<T> task) {
        return engine.propagate(task);
    }

    /**
     * An executor that runs each task inside the transaction of the scope that submits it (captured
     * at submission, see {@link #propagate(Runnable)}); works with platform and virtual threads.
     *
     * @param executor the executor that runs the tasks
     * @return the propagating executor
     */
    public Executor propagating(Executor executor) {
        return engine.propagating(executor);
    }

    /**
     * {@link #propagating(Executor)} for an ExecutorService; shutdown and the other lifecycle calls go to it.
     *
     * @param executor the executor service that runs the tasks
     * @return the propagating executor service
     */
    public ExecutorService propagating(ExecutorService executor) {
        return engine.propagating(executor);
    }

    /** {@return the database's dialect (asks the database on first use if the URL did not tell)} */
    public Dialect dialect() {
        return engine.dialect();
    }

    /** {@return how many transactions over this Database's pool (by any Database on it) have begun and not yet ended} */
    public int openTransactions() {
        return engine.openTransactions();
    }

    /**
     * {@return whether a transaction over this Database's pool (begun by any Database on it) is bound to
     * the current scope}
     */
    public boolean inScope() {
        return engine.scopeBound();
    }

    /** {@return the pool's state as text, e.g. {@code size=10, total=10, active=0, idle=10, waiting=0}} */
    public String poolState() {
        return engine.poolState();
    }

    /** {@return how many connections are borrowed from the pool now, or -1 when the pool does not tell} */
    public int activeConnections() {
        return engine.activeConnections();
    }

    /**
     * What contention control knows now, one entry per contention key whose transactions have collided
     * (conflict, deadlock, lock timeout or lost optimistic check): whether it is hot, how many attempts it
     * admits at once, how many run and wait, and its recent conflict rate. Keys that never collided cost
     * nothing and are not listed. For dashboards and metrics; a snapshot, safe to call from any thread.
     *
     * @return one entry per key that has collided
     */
    public List<KeyContention> contention() {
        return engine.tables.contention.snapshot();
    }

    /** {@return the default options of this Database, used by the methods that take none} */
    public TxOptions defaults() {
        return engine.defaults();
    }

    /**
     * Stops the deadline watchdog and closes the pool if txkit created it; a borrowed DataSource stays open.
     *
     * @throws TxkitException {@link ErrorCode#CONNECTION_FAILURE} when closing the owned pool fails
     */
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
     * Configures a {@link Database}. Not thread-safe; {@link #build()} copies the settings, so one builder
     * can make several Databases.
     */
    public static final class Builder extends BuilderSettings {
        private Builder(DataSource dataSource, String jdbcUrl, String user, String password) {
            super(dataSource, jdbcUrl, user, password);
        }

        /**
         * Makes the Database: over the borrowed DataSource, or over a new HikariCP pool for the JDBC URL
         * (which it owns and closes).
         *
         * @return the Database
         * @throws TxkitException {@link ErrorCode#CONNECTION_FAILURE} when a pool txkit builds cannot
         *         connect (naming the host and the driver's reason, never the password)
         */
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
    }
}
