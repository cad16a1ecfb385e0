package dev.txkit;

import dev.txkit.retry.RetryPolicy;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one transaction. Immutable: every {@code with…} method returns a copy. Defaults
 * (see {@link #defaults()}):
 * <ul>
 *   <li>isolation: the database's own default (nothing is sent to change it);</li>
 *   <li>read-only: {@code false};</li>
 *   <li>timeout: 5 s wall clock from the start of the transaction (Prisma's default); the running
 *       statement is cancelled at the deadline and the transaction rolled back;</li>
 *   <li>maxWait: 2 s to obtain a connection from the pool (Prisma's default);</li>
 *   <li>propagation: {@link Propagation#REQUIRED};</li>
 *   <li>retry: {@link RetryPolicy#defaults()} — write conflicts, deadlocks and lock timeouts are retried
 *       with full-jitter backoff, at the outermost transaction only (see {@link RetryPolicy#defaults()});</li>
 *   <li>contention key: the callback's class (see {@link #withContentionKey(Object)}).</li>
 * </ul>
 * Thread-safe.
 */
public final class TxOptions {
    /** Default wall-clock deadline of a transaction. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /**
     * The longest duration txkit accepts for a timeout, a wait, a retry backoff or budget and the
     * self-deadlock threshold: 365 days. txkit turns durations into {@code System.nanoTime()}
     * deadlines, which values like {@code ChronoUnit.FOREVER.getDuration()} would overflow; longer
     * values fail with INVALID_ARGUMENT.
     */
    public static final Duration MAX_DURATION = Duration.ofDays(365);
    /** Default bound on waiting for a pooled connection. */
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(2);

    private static final TxOptions DEFAULTS =
            new TxOptions(null, false, DEFAULT_TIMEOUT, DEFAULT_MAX_WAIT, Propagation.REQUIRED, RetryPolicy.defaults(),
                    null);

    private final Isolation isolation;
    private final boolean readOnly;
    private final Duration timeout;
    private final Duration maxWait;
    private final Propagation propagation;
    private final RetryPolicy retry;
    private final Object contentionKey;

    private TxOptions(Isolation isolation, boolean readOnly, Duration timeout, Duration maxWait,
                      Propagation propagation, RetryPolicy retry, Object contentionKey) {
        this.isolation = isolation;
        this.readOnly = readOnly;
        this.timeout = timeout;
        this.maxWait = maxWait;
        this.propagation = propagation;
        this.retry = retry;
        this.contentionKey = contentionKey;
    }

    /** {@return the default options described in the class comment; one shared instance} */
    public static TxOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Runs at {@code isolation}. Set per transaction ({@code SET TRANSACTION ...}; on MariaDB with
     * Connector/J together with autocommit in one statement and put back with it), so nothing is left on
     * the connection; a level the database does not offer fails with {@link ErrorCode#UNSUPPORTED} when
     * the transaction begins, before anything runs.
     *
     * @param isolation the level, or {@code null} for the database's default (nothing is sent)
     * @return a copy with this isolation
     */
    public TxOptions withIsolation(Isolation isolation) {
        return new TxOptions(isolation, readOnly, timeout, maxWait, propagation, retry, contentionKey);
    }

    /**
     * Runs read-only: a write then fails with {@link ErrorCode#READ_ONLY_VIOLATION} (PostgreSQL, MariaDB,
     * SQLite; H2 takes it as a hint). A read-only scope cannot join a read-write transaction
     * ({@link ErrorCode#MISUSE}; use {@link Propagation#REQUIRES_NEW}).
     *
     * @param readOnly {@code true} for a read-only transaction; default {@code false}
     * @return a copy with this flag
     */
    public TxOptions withReadOnly(boolean readOnly) {
        return new TxOptions(isolation, readOnly, timeout, maxWait, propagation, retry, contentionKey);
    }

    /**
     * Wall-clock limit of the whole transaction, counted from its start: at the deadline the running
     * statement is cancelled, a COMMIT after it is refused and the transaction fails with
     * {@link ErrorCode#TIMEOUT}.
     *
     * @param timeout positive and at most 365 days ({@link #MAX_DURATION}); default {@link #DEFAULT_TIMEOUT}
     * @return a copy with this timeout
     * @throws TxkitException {@link ErrorCode#INVALID_ARGUMENT} for {@code null}, zero, negative or longer values
     */
    public TxOptions withTimeout(Duration timeout) {
        return new TxOptions(isolation, readOnly, positive("timeout", timeout), maxWait, propagation, retry,
                contentionKey);
    }

    /**
     * Limit on waiting for a pooled connection; past it the transaction fails with
     * {@link ErrorCode#ACQUIRE_TIMEOUT}, whose message shows the pool's state.
     *
     * @param maxWait positive and at most 365 days; default {@link #DEFAULT_MAX_WAIT}
     * @return a copy with this bound
     * @throws TxkitException {@link ErrorCode#INVALID_ARGUMENT} for {@code null}, zero, negative or longer values
     */
    public TxOptions withMaxWait(Duration maxWait) {
        return new TxOptions(isolation, readOnly, timeout, positive("maxWait", maxWait), propagation, retry,
                contentionKey);
    }

    /**
     * What the transaction does when one is already active in the current scope.
     *
     * @param propagation how to join, nest or avoid an active transaction; default {@link Propagation#REQUIRED}
     * @return a copy with this propagation
     * @throws TxkitException {@link ErrorCode#INVALID_ARGUMENT} for {@code null}
     */
    public TxOptions withPropagation(Propagation propagation) {
        if (propagation == null) {
            throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "propagation must not be null");
        }
        return new TxOptions(isolation, readOnly, timeout, maxWait, propagation, retry, contentionKey);
    }

    /**
     * How failures of this transaction are retried. Only the outermost transaction retries: a joined
     * scope's failure goes to its owner.
     *
     * @param retry the policy; {@link RetryPolicy#none()} to disable; default {@link RetryPolicy#defaults()}
     * @return a copy with this policy
     * @throws TxkitException {@link ErrorCode#INVALID_ARGUMENT} for {@code null}
     */
    public TxOptions withRetry(RetryPolicy retry) {
        if (retry == null) {
            throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "retry must not be null; use RetryPolicy.none()");
        }
        return new TxOptions(isolation, readOnly, timeout, maxWait, propagation, retry, contentionKey);
    }

    /**
     * Groups this transaction with others that collide on the same rows, for txkit's contention control
     * (see {@code Database.contention()}): transactions of one key that conflict are admitted fewer at a
     * time in this process. By default the key is the callback's class, i.e. its call site, and once its
     * transactions collide txkit also learns the rows they collide on from their first statement (its text
     * and bound values, e.g. the account a transfer reads first), so each hot row admits its own few and the
     * call site's other transactions run on. An explicit key (e.g. {@code "wallet:" + id}) is used as given,
     * nothing learnt below it: give one when the first statement does not name the contended row, or when
     * several call sites touch the same rows. The key must have a stable {@code equals}/{@code hashCode};
     * {@code null} returns to the default. Its {@code toString} is not put into error messages.
     *
     * @param key the contention key, or {@code null} for the callback's class
     * @return a copy with this key
     */
    public TxOptions withContentionKey(Object key) {
        return new TxOptions(isolation, readOnly, timeout, maxWait, propagation, retry, key);
    }

    /** {@return the explicit contention key, or {@code null} for the default (the callback's class)} */
    public Object contentionKey() {
        return contentionKey;
    }

    /** {@return the requested isolation, or {@code null} for the database's default} */
    public Isolation isolation() {
        return isolation;
    }

    /** {@return whether the transaction runs read-only} */
    public boolean readOnly() {
        return readOnly;
    }

    /** {@return the wall-clock limit of the whole transaction} */
    public Duration timeout() {
        return timeout;
    }

    /** {@return the bound on waiting for a pooled connection} */
    public Duration maxWait() {
        return maxWait;
    }

    /** {@return what the transaction does when one is already active in the scope} */
    public Propagation propagation() {
        return propagation;
    }

    /** {@return how failures of the transaction are retried} */
    public RetryPolicy retry() {
        return retry;
    }

    private static Duration positive(String name, Duration value) {
        return DurationCheck.positive(name, value);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TxOptions)) {
            return false;
        }
        TxOptions other = (TxOptions) o;
        return isolation == other.isolation && readOnly == other.readOnly && timeout.equals(other.timeout)
                && maxWait.equals(other.maxWait) && propagation == other.propagation && retry.equals(other.retry)
                && Objects.equals(contentionKey, other.contentionKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(isolation, readOnly, timeout, maxWait, propagation, retry, contentionKey);
    }

    @Override
    public String toString() {
        return "TxOptions{isolation=" + (isolation == null ? "database default" : isolation)
                + ", readOnly=" + readOnly + ", timeout=" + timeout.toMillis() + "ms, maxWait="
                + maxWait.toMillis() + "ms, propagation=" + propagation + ", retry=" + retry
                + (contentionKey == null ? "" : ", explicit contention key") + '}';
    }
}
