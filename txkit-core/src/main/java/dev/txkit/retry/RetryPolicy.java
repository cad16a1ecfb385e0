package dev.txkit.retry;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;
import dev.txkit.TxOptions;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * When and how a failed transaction is run again. Immutable and thread-safe; made by {@link #builder()}.
 *
 * <p>Defaults ({@link #defaults()}), chosen so that a transient conflict never reaches a user who did
 * nothing wrong, while a real overload still fails fast:
 * <ul>
 *   <li>max attempts: 10 (the first run plus nine retries). With contention control a hot key's attempts
 *       queue in the process instead of colliding, so a conflict is followed by an attempt that rarely
 *       collides again; ten attempts make giving up under a burst of 64 clients on one row practically
 *       impossible, while failures that retrying cannot fix (database down, timeouts) are not retried
 *       at all and the 10 s budget still bounds the wait;</li>
 *   <li>backoff: capped exponential with <em>full jitter</em> — before retry {@code n} sleep a uniformly
 *       random time in {@code [0, min(cap, base × 2^(n-1))]}, base 10 ms, cap 1 s. Full jitter spreads
 *       colliding clients apart; immediate retry and jitter-free exponential backoff make them collide
 *       again (measured: ~3× the attempts of full jitter at 100 clients);</li>
 *   <li>budget: 10 s in total across attempts: no retry starts whose backoff delay would end past it
 *       (the transaction timeout still bounds each attempt);</li>
 *   <li>retried failures ({@link #DEFAULT_RETRY_ON}): {@link ErrorCode#CONFLICT}, {@link ErrorCode#DEADLOCK},
 *       {@link ErrorCode#LOCK_TIMEOUT} and {@link ErrorCode#CONNECTION_FAILURE} — never unique violations,
 *       timeouts or COMMIT_UNKNOWN.</li>
 * </ul>
 */
public final class RetryPolicy {
    /**
     * Failures retried by default: the transaction was rolled back and running it again can succeed.
     * {@code CONNECTION_FAILURE} is a connection lost before COMMIT was sent (nothing committed) —
     * on a cluster, a failover to another node; a loss during COMMIT is {@code COMMIT_UNKNOWN} and
     * never retried.
     */
    public static final Set<ErrorCode> DEFAULT_RETRY_ON = Collections.unmodifiableSet(EnumSet.of(
            ErrorCode.CONFLICT, ErrorCode.DEADLOCK, ErrorCode.LOCK_TIMEOUT, ErrorCode.CONNECTION_FAILURE));

    private static final RetryPolicy DEFAULTS = builder().build();
    private static final RetryPolicy NONE = builder().maxAttempts(1).build();
    private static final RetryPolicy OPTIMISTIC = builder().retryOn(EnumSet.of(ErrorCode.CONFLICT, ErrorCode.DEADLOCK,
            ErrorCode.LOCK_TIMEOUT, ErrorCode.OPTIMISTIC_CONFLICT)).build();

    private final int maxAttempts;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final boolean jitter;
    private final Duration maxDuration;
    private final Set<ErrorCode> retryOn;
    private final Predicate<? super TxkitException> abortIf;
    private final RetryListener onRetry;

    private RetryPolicy(Builder b) {
        this.maxAttempts = b.maxAttempts;
        this.baseDelay = b.baseDelay;
        this.maxDelay = b.maxDelay;
        this.jitter = b.jitter;
        this.maxDuration = b.maxDuration;
        this.retryOn = Collections.unmodifiableSet(EnumSet.copyOf(b.retryOn));
        this.abortIf = b.abortIf;
        this.onRetry = b.onRetry;
    }

    /** {@return the default policy described in the class comment} */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /**
     * {@link #defaults()} that also retries {@link ErrorCode#OPTIMISTIC_CONFLICT}: for a unit of work
     * that reads, changes and writes back a versioned record, where running it again reads the new
     * version. {@code db.idempotent} with this policy re-runs claim and work together, with the row
     * locks after a conflict that {@code db.optimistic} uses.
     *
     * @return the default policy plus {@code OPTIMISTIC_CONFLICT}
     */
    public static RetryPolicy optimistic() {
        return OPTIMISTIC;
    }

    /** {@return a policy that never retries: one attempt} */
    public static RetryPolicy none() {
        return NONE;
    }

    /** {@return a builder starting from the defaults described in the class comment} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder initialised with this policy's settings, to derive a variant} */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxAttempts = maxAttempts;
        b.baseDelay = baseDelay;
        b.maxDelay = maxDelay;
        b.jitter = jitter;
        b.maxDuration = maxDuration;
        b.retryOn = EnumSet.copyOf(retryOn);
        b.abortIf = abortIf;
        b.onRetry = onRetry;
        return b;
    }

    /** {@return the total attempts allowed, the first one included} */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** {@return the backoff cap before the first retry; it doubles with each retry up to {@link #maxDelay()}} */
    public Duration baseDelay() {
        return baseDelay;
    }

    /** {@return the largest backoff delay before any one retry} */
    public Duration maxDelay() {
        return maxDelay;
    }

    /** {@return whether delays are drawn uniformly below the cap (full jitter) rather than equal to it} */
    public boolean jitter() {
        return jitter;
    }

    /** {@return the time budget since the first attempt began, past which no retry starts} */
    public Duration maxDuration() {
        return maxDuration;
    }

    /** {@return the error codes that are retried; unmodifiable} */
    public Set<ErrorCode> retryOn() {
        return retryOn;
    }

    /** {@return the listener called before each retry; a no-op unless one was set} */
    public RetryListener onRetry() {
        return onRetry;
    }

    /**
     * Whether {@code failure} of attempt number {@code attempt} may be retried by this policy: attempts
     * are left and {@link #retries(TxkitException)} holds. The time budget is checked by the caller.
     *
     * @param failure the failure of the attempt that just ended
     * @param attempt that attempt's number, 1 for the first
     * @return whether another attempt may run
     */
    public boolean shouldRetry(TxkitException failure, int attempt) {
        return attempt < maxAttempts && retries(failure);
    }

    /**
     * Whether this policy retries failures like {@code failure} at all, attempts and budget aside: its
     * code is in {@link #retryOn()} and the abort predicate does not match.
     *
     * @param failure the failure; {@code null} is never retried
     * @return whether failures like it are retried
     */
    public boolean retries(TxkitException failure) {
        return failure != null && retryOn.contains(failure.code()) && !abortIf.test(failure);
    }

    /**
     * The cap of the delay before retry number {@code retry}: {@code min(maxDelay, base × 2^(retry-1))}.
     *
     * @param retry the retry's number, 1 for the first retry (the second attempt)
     * @return the cap, never above {@link #maxDelay()}
     * @throws TxkitException {@link ErrorCode#INVALID_ARGUMENT} when {@code retry} is below 1
     */
    public Duration delayCap(int retry) {
        if (retry < 1) {
            throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "retry must be at least 1 but was " + retry);
        }
        long base = baseDelay.toNanos();
        int shift = Math.min(retry - 1, 62);
        long exp = base > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : base << shift;
        return Duration.ofNanos(Math.min(exp, maxDelay.toNanos()));
    }

    /**
     * The delay before retry number {@code retry}: uniform in {@code [0, delayCap(retry)]} with jitter,
     * else the cap itself.
     *
     * @param retry the retry's number, 1 for the first retry (the second attempt)
     * @return the delay to sleep
     * @throws TxkitException {@link ErrorCode#INVALID_ARGUMENT} when {@code retry} is below 1
     */
    public Duration delay(int retry) {
        Duration cap = delayCap(retry);
        if (!jitter || cap.isZero()) {
            return cap;
        }
        return Duration.ofNanos(ThreadLocalRandom.current().nextLong(cap.toNanos() + 1));
    }

    @Override
    public String toString() {
        return "RetryPolicy{maxAttempts=" + maxAttempts + ", base=" + baseDelay.toMillis() + "ms, cap="
                + maxDelay.toMillis() + "ms, jitter=" + (jitter ? "full" : "none") + ", budget="
                + maxDuration.toMillis() + "ms, retryOn=" + retryOn + '}';
    }

    /** Called before each retry sleeps. Implementations must be thread-safe and quick. */
    @FunctionalInterface
    public interface RetryListener {
        /**
         * Called on the transaction's thread after an attempt failed and before the backoff sleep.
         *
         * @param nextAttempt the number of the attempt about to run, 2 for the first retry
         * @param delay how long txkit sleeps before it
         * @param failure why the previous attempt failed
         */
        void onRetry(int nextAttempt, Duration delay, TxkitException failure);
    }

    /**
     * Builds a {@link RetryPolicy}; every setter validates at once and names the bad value. Not thread-safe.
     */
    public static final class Builder {
        private int maxAttempts = 10;
        private Duration baseDelay = Duration.ofMillis(10);
        private Duration maxDelay = Duration.ofSeconds(1);
        private boolean jitter = true;
        private Duration maxDuration = Duration.ofSeconds(10);
        private Set<ErrorCode> retryOn = EnumSet.copyOf(DEFAULT_RETRY_ON);
        private Predicate<? super TxkitException> abortIf = e -> false;
        private RetryListener onRetry = (n, d, e) -> { };

        private Builder() {
        }

        /**
         * Total attempts including the first. Default 10.
         *
         * @param maxAttempts at least 1; 1 means never retry
         * @return this builder
         * @throws TxkitException {@link ErrorCode#INVALID_ARGUMENT} when below 1
         */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw invalid("maxAttempts must be at least 1 but was " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * Exponential backoff from {@code base}, capped at {@code cap}; {@code base} may be zero (immediate
         * retry); both at most 365 days. Default 10 ms and 1 s.
         *
         * @param base the cap of the delay before the first retry; zero or positive
         * @param cap the largest delay before any retry; at least {@code base}
         * @return this builder
         * @throws TxkitException {@link ErrorCode#INVALID_ARGUMENT} for {@code null}, negative or too long
         *         values, or a cap below the base
         */
        public Builder backoff(Duration base, Duration cap) {
            bounded("backoff base", base, true);
            bounded("backoff cap", cap, true);
            if (cap.compareTo(base) < 0) {
                throw invalid("backoff cap " + cap.toMillis() + " ms is below base " + base.toMillis() + " ms");
            }
            this.baseDelay = base;
            this.maxDelay = cap;
            return this;
        }

        /**
         * Full jitter: each delay is uniform below its cap. {@code false} sleeps exactly the exponential cap,
         * which makes colliding clients collide again.
         *
         * @param jitter whether to draw delays at random; default {@code true}
         * @return this builder
         */
        public Builder jitter(boolean jitter) {
            this.jitter = jitter;
            return this;
        }

        /**
         * Stop retrying once this much time has passed since the first attempt began: no retry starts whose
         * backoff would end past it. Default 10 s.
         *
         * @param budget positive, at most 365 days
         * @return this builder
         * @throws TxkitException {@link ErrorCode#INVALID_ARGUMENT} for {@code null}, zero, negative or too long values
         */
        public Builder maxDuration(Duration budget) {
            bounded("maxDuration", budget, false);
            this.maxDuration = budget;
            return this;
        }

        /**
         * Which failures are retried. Default {@link RetryPolicy#DEFAULT_RETRY_ON}.
         *
         * @param codes the codes to retry; not empty (use {@code maxAttempts(1)} to disable retry)
         * @return this builder
         * @throws TxkitException {@link ErrorCode#INVALID_ARGUMENT} for an empty set, a {@code null} element or
         *         {@link ErrorCode#COMMIT_UNKNOWN}, which cannot be retried blindly
         */
        public Builder retryOn(Set<ErrorCode> codes) {
            if (codes == null || codes.isEmpty()) {
                throw invalid("retryOn must name at least one error code and no null");
            }
            // Iterate instead of codes.contains(null): Set.of(...) throws NullPointerException on that (issue 15)
            for (ErrorCode c : codes) {
                if (c == null) {
                    throw invalid("retryOn must name at least one error code and no null");
                }
                if (c == ErrorCode.COMMIT_UNKNOWN) {
                    throw invalid("COMMIT_UNKNOWN cannot be retried blindly: the first attempt may have committed;"
                            + " use an idempotency key");
                }
            }
            this.retryOn = EnumSet.copyOf(codes);
            return this;
        }

        /**
         * Never retry a failure matching {@code predicate}, whatever its code. Default: none matches.
         *
         * @param predicate called with each failure whose code is retried; thread-safe and quick
         * @return this builder
         * @throws TxkitException {@link ErrorCode#INVALID_ARGUMENT} for {@code null}
         */
        public Builder abortIf(Predicate<? super TxkitException> predicate) {
            if (predicate == null) {
                throw invalid("abortIf predicate must not be null");
            }
            this.abortIf = predicate;
            return this;
        }

        /**
         * Called before each retry with the attempt about to run, the delay and the failure (see
         * {@link RetryListener}). Default: nothing.
         *
         * @param listener the listener; thread-safe and quick
         * @return this builder
         * @throws TxkitException {@link ErrorCode#INVALID_ARGUMENT} for {@code null}
         */
        public Builder onRetry(RetryListener listener) {
            if (listener == null) {
                throw invalid("onRetry listener must not be null");
            }
            this.onRetry = listener;
            return this;
        }

        /** {@return an immutable policy with the settings made so far; the builder can go on being used} */
        public RetryPolicy build() {
            return new RetryPolicy(this);
        }

        /** Not null, not negative (zero only if allowed), at most {@link TxOptions#MAX_DURATION}; the message names both. */
        private static void bounded(String name, Duration d, boolean zeroAllowed) {
            if (d == null) {
                throw invalid(name + " must not be null");
            }
            if (d.isNegative() || (!zeroAllowed && d.isZero())) {
                throw invalid(name + " must be " + (zeroAllowed ? "zero or positive" : "positive") + " but was " + readable(d));
            }
            if (d.compareTo(TxOptions.MAX_DURATION) > 0) {
                throw invalid(name + " must be at most 365 days but was " + readable(d)
                        + " (txkit computes deadlines in nanoseconds; longer values would overflow)");
            }
        }

        private static String readable(Duration d) {
            long s = d.getSeconds(); // toMillis() would overflow for the extremes
            return s > -172_800 && s < 172_800 ? d.toMillis() + " ms" : d.toString();
        }

        private static TxkitException invalid(String message) {
            return TxkitException.of(ErrorCode.INVALID_ARGUMENT, message);
        }
    }
}
