package dev.txkit;

import dev.txkit.dialect.Dialect;
import dev.txkit.retry.RetryPolicy;
import dev.txkit.spi.ContextStorage;
import dev.txkit.spi.TransactionBridge;
import dev.txkit.spi.TxListener;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The settings a {@link Database.Builder} collects, their defaults and their setters. Not part of the
 * API: its public methods are published as members of {@code Database.Builder} (Javadoc lists them
 * there, and the compiler gives the builder public bridges of them). It lives in a file of its own so
 * that Database.java stays under the 500 lines a core file may have; {@code Database.Builder#build()},
 * which turns the settings into the engine's configuration, stays with {@code Database}.
 */
abstract class BuilderSettings {
    /** The borrowed pool, or {@code null} when txkit builds one from the URL. */
    final DataSource dataSource;
    final String jdbcUrl;
    final String user;
    final String password;
    TxOptions defaults = TxOptions.defaults();
    boolean strict;
    boolean rejectConcurrentUse;
    boolean captureBeginSite;
    boolean showValues;
    Duration selfDeadlockThreshold = Duration.ofMillis(200);
    ContextStorage storage = ContextStorage.threadLocal();
    final List<TxListener> listeners = new ArrayList<>();
    int poolSize = 10;
    ScheduledExecutorService scheduler;
    TransactionBridge bridge;
    Dialect dialect;

    BuilderSettings(DataSource dataSource, String jdbcUrl, String user, String password) {
        this.dataSource = dataSource;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
    }

    /**
     * Options used by the methods that take none. Default {@link TxOptions#defaults()}.
     *
     * @param defaults the options
     * @return this builder
     * @throws TxkitException {@link ErrorCode#INVALID_ARGUMENT} for {@code null}
     */
    public Database.Builder defaults(TxOptions defaults) {
        this.defaults = Args.nonNull(defaults, "defaults");
        return self();
    }

    /**
     * The retry policy of the default options ({@code defaults().withRetry(policy)}); default
     * {@link RetryPolicy#defaults()}. Use {@link RetryPolicy#none()} to turn retries off.
     *
     * @param policy the policy
     * @return this builder
     * @throws TxkitException {@link ErrorCode#INVALID_ARGUMENT} for {@code null}
     */
    public Database.Builder retry(RetryPolicy policy) {
        this.defaults = defaults.withRetry(Args.nonNull(policy, "retry"));
        return self();
    }

    /**
     * Strict mode, for teams that pass the {@code Transaction} explicitly: inside a transaction
     * scope, {@code db.sql(...)}, {@code db.dataSource().getConnection()} and
     * {@code db.inTransaction}/{@code db.begin} with {@link Propagation#REQUIRED} fail at once
     * with MISUSE (naming the fix) instead of silently joining. MANDATORY, NESTED and
     * REQUIRES_NEW still work: they say what they mean. Default off.
     *
     * @param strict {@code true} to refuse implicit joining
     * @return this builder
     */
    public Database.Builder strict(boolean strict) {
        this.strict = strict;
        return self();
    }

    /**
     * When one transaction is used from several threads at once (see {@link Database#propagate(Runnable)}),
     * fail the statement that would have to wait for another thread's statement with MISUSE,
     * instead of running the statements one after the other. Default off (serialized); either
     * way statements never interleave on the connection.
     *
     * @param reject {@code true} to fail instead of waiting
     * @return this builder
     */
    public Database.Builder rejectConcurrentUse(boolean reject) {
        this.rejectConcurrentUse = reject;
        return self();
    }

    /**
     * Record where each transaction began, for diagnostics: a SELF_DEADLOCK message then says where the
     * transaction holding the lock began. Costs a stack trace per begin. Default off.
     *
     * @param capture {@code true} to record begin sites
     * @return this builder
     */
    public Database.Builder captureBeginSite(boolean capture) {
        this.captureBeginSite = capture;
        return self();
    }

    /**
     * Let driver messages that may quote bound values (data and constraint errors) through into txkit's
     * messages, for debugging only. Credentials stay hidden either way. Default off.
     *
     * @param show {@code true} to keep such driver messages
     * @return this builder
     */
    public Database.Builder showValues(boolean show) {
        this.showValues = show;
        return self();
    }

    /**
     * How long a statement may wait on a lock held by a stuck transaction of this process before
     * it fails with SELF_DEADLOCK (PostgreSQL and MariaDB over a HikariCP pool). Default 200 ms.
     *
     * @param threshold positive and at most 365 days
     * @return this builder
     * @throws TxkitException {@link ErrorCode#INVALID_ARGUMENT} for {@code null}, zero, negative or longer values
     */
    public Database.Builder selfDeadlockThreshold(Duration threshold) {
        this.selfDeadlockThreshold = DurationCheck.positive("selfDeadlockThreshold", threshold);
        return self();
    }

    /**
     * Where the ambient transaction is kept. Default: a thread-local ({@link ContextStorage#threadLocal()}).
     * When several Databases share a pool, the first one over it decides.
     *
     * @param storage the storage
     * @return this builder
     * @throws TxkitException {@link ErrorCode#INVALID_ARGUMENT} for {@code null}
     */
    public Database.Builder contextStorage(ContextStorage storage) {
        this.storage = Args.nonNull(storage, "contextStorage");
        return self();
    }

    /**
     * Adds a listener for transaction events (see {@link TxListener}); call once per listener. Listeners
     * are told in the order they were added; one that throws is logged and does not disturb the
     * transaction. Default none.
     *
     * @param listener the listener; quick and thread-safe
     * @return this builder
     * @throws TxkitException {@link ErrorCode#INVALID_ARGUMENT} for {@code null}
     */
    public Database.Builder listener(TxListener listener) {
        listeners.add(Args.nonNull(listener, "listener"));
        return self();
    }

    /**
     * Maximum size of the pool txkit builds (only for {@code connect}). Default 10.
     *
     * @param size at least 1
     * @return this builder
     * @throws TxkitException {@link ErrorCode#INVALID_ARGUMENT} when below 1
     */
    public Database.Builder poolSize(int size) {
        if (size < 1) {
            throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "poolSize must be at least 1 but was " + size);
        }
        this.poolSize = size;
        return self();
    }

    /**
     * Runs this Database's deadline watchdog (a 10 ms tick) on {@code scheduler} instead of on a daemon
     * thread of its own, as HikariCP's {@code setScheduledExecutor} does for its housekeeping. txkit
     * cancels its task on {@link Database#close()} but leaves the scheduler running. Default: its own
     * thread, stopped by {@code close()}.
     *
     * @param scheduler the scheduler to tick on; the caller owns it
     * @return this builder
     * @throws TxkitException {@link ErrorCode#INVALID_ARGUMENT} for {@code null}
     */
    public Database.Builder scheduler(ScheduledExecutorService scheduler) {
        this.scheduler = Args.nonNull(scheduler, "scheduler");
        return self();
    }

    /**
     * Joins the transactions of another transaction manager on the same DataSource, in both
     * directions (see {@link TransactionBridge}); {@code txkit-spring-boot-starter}
     * installs Spring's. Default none.
     *
     * @param bridge the bridge
     * @return this builder
     * @throws TxkitException {@link ErrorCode#INVALID_ARGUMENT} for {@code null}
     */
    public Database.Builder transactionBridge(TransactionBridge bridge) {
        this.bridge = Args.nonNull(bridge, "transactionBridge");
        return self();
    }

    /**
     * Uses {@code dialect} instead of detecting the database product (from the JDBC URL, else by asking
     * the database on first use). Default: detected.
     *
     * @param dialect the dialect, e.g. one of {@link dev.txkit.dialect.Dialects}
     * @return this builder
     * @throws TxkitException {@link ErrorCode#INVALID_ARGUMENT} for {@code null}
     */
    public Database.Builder dialect(Dialect dialect) {
        this.dialect = Args.nonNull(dialect, "dialect");
        return self();
    }

    private Database.Builder self() {
        return (Database.Builder) this;
    }
}
