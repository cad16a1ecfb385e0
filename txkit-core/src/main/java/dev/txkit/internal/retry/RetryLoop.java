package dev.txkit.internal.retry;

import dev.txkit.ErrorCode;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.retry.RetriesExhaustedException;
import dev.txkit.retry.RetryPolicy;
import dev.txkit.spi.TxAttempt;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the attempts of one outermost transaction as its {@link RetryPolicy} says. The body has
 * already rolled back (and returned its connection) when it throws, so the sleep between attempts
 * holds no lock and no connection. Only {@link TxkitException}s the policy retries start another
 * attempt; anything else, including the callback's checked exceptions, passes through unchanged.
 *
 * <p>Immutable and thread-safe: {@link #run} keeps its state on the stack, so one instance may run
 * many calls at once (a Database keeps one for its default options).
 */
public final class RetryLoop {
    private static final System.Logger LOG = System.getLogger("dev.txkit");
    /** DEBUG: one line per retry and per give-up (code, attempt, delay); never SQL values. */
    private static final System.Logger RETRY_LOG = System.getLogger("dev.txkit.retry");

    /** Time and sleeping, replaceable so the accounting can be tested without waiting. */
    interface Clock {
        long nanoTime();

        void sleep(Duration duration) throws InterruptedException;
    }

    /** One attempt: begin, run the callback, commit. */
    @FunctionalInterface
    public interface Body<R, X extends Exception> {
        public R run(TxAttempt attempt) throws X;
    }

    /** Told before each sleep. */
    @FunctionalInterface
    public interface Observer {
        void retryScheduled(TxAttempt failed, Duration delay, TxkitException failure);
    }

    public static final Clock SYSTEM = new Clock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            TimeUnit.NANOSECONDS.sleep(duration.toNanos());
        }
    };

    private final RetryPolicy policy;
    private final TxOptions options;
    private final Clock clock;
    private final Observer observer;
    private final AttemptHook hook;
    /** Attempt 1 is the same for every call of this loop: one immutable record serves them all. */
    private final TxAttempt first;

    public RetryLoop(TxOptions options, Clock clock, Observer observer) {
        this(options, clock, observer, AttemptHook.NONE);
    }

    public RetryLoop(TxOptions options, Clock clock, Observer observer, AttemptHook hook) {
        this.policy = options.retry();
        this.options = options;
        this.clock = clock;
        this.observer = observer;
        this.hook = hook;
        this.first = new TxAttempt(1, policy.maxAttempts(), options, Duration.ZERO);
    }

    /** The options whose retry policy this loop follows. */
    public TxOptions options() {
        return options;
    }

    public <R, X extends Exception> R run(Body<R, X> body) throws X {
        long start = clock.nanoTime();
        List<TxkitException> earlier = null;
        for (int n = 1; ; n++) {
            TxAttempt attempt = n == 1 ? first
                    : new TxAttempt(n, policy.maxAttempts(), options, Duration.ofNanos(clock.nanoTime() - start));
            try {
                return body.run(attempt);
            } catch (TxkitException failure) {
                Duration delay = delayOrGiveUp(failure, n, start, earlier);
                if (RETRY_LOG.isLoggable(System.Logger.Level.DEBUG)) {
                    RETRY_LOG.log(System.Logger.Level.DEBUG, "txkit: retrying after " + reason(failure).code()
                            + " (attempt " + n + " of " + policy.maxAttempts() + " failed; attempt " + (n + 1)
                            + " starts after " + delay.toMillis() + " ms)");
                }
                if (earlier == null) {
                    earlier = new ArrayList<>(4);
                }
                earlier.add(failure);
                observer.retryScheduled(attempt, delay, failure);
                hook.retrying(attempt, failure);
                try {
                    policy.onRetry().onRetry(n + 1, delay, failure);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "txkit: a RetryPolicy onRetry listener failed", e);
                }
                sleep(delay, failure, n, earlier);
            }
        }
    }

    /** The backoff before the next attempt, or throws what the caller must see. */
    private Duration delayOrGiveUp(TxkitException failure, int n, long start, List<TxkitException> earlier) {
        // An inner REQUIRES_NEW boundary already retried this one: retrying it again here would
        // multiply the attempts (5 × 5) while the outer transaction holds its locks.
        if (failure instanceof RetriesExhaustedException || !policy.retries(reason(failure))) {
            throw failure;
        }
        if (policy.maxAttempts() == 1) {
            throw failure; // retry is off: the failure is the caller's, unchanged
        }
        if (n >= policy.maxAttempts()) {
            throw exhausted(failure, n, null, earlier);
        }
        Duration delay = policy.delay(n);
        long elapsed = clock.nanoTime() - start;
        if (elapsed + delay.toNanos() > policy.maxDuration().toNanos()) {
            throw exhausted(failure, n, "retry budget of " + policy.maxDuration().toMillis() + " ms used up after "
                    + elapsed / 1_000_000 + " ms", earlier);
        }
        return delay;
    }

    /**
     * Code that catches a conflict and carries on meets CLOSED (the transaction was already rolled
     * back); what decides about a retry is the failure that ended the transaction.
     */
    private static TxkitException reason(TxkitException failure) {
        if (failure.code() == ErrorCode.CLOSED && failure.getCause() instanceof TxkitException) {
            return (TxkitException) failure.getCause();
        }
        return failure;
    }

    private RetriesExhaustedException exhausted(TxkitException last, int attempts, String stop,
                                                List<TxkitException> earlier) {
        if (RETRY_LOG.isLoggable(System.Logger.Level.DEBUG)) {
            RETRY_LOG.log(System.Logger.Level.DEBUG, "txkit: giving up after " + reason(last).code() + " (attempt "
                    + attempts + " of " + policy.maxAttempts() + (stop == null ? "" : "; " + stop) + ")");
        }
        RetriesExhaustedException x = new RetriesExhaustedException(last, attempts, policy.maxAttempts(), stop);
        if (earlier != null) {
            for (TxkitException e : earlier) {
                x.addSuppressed(e);
            }
        }
        return x;
    }

    private void sleep(Duration delay, TxkitException failure, int n, List<TxkitException> earlier) {
        if (delay.isZero()) {
            return;
        }
        try {
            clock.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the caller's thread is being stopped: keep the flag
            earlier.remove(earlier.size() - 1);
            RetriesExhaustedException x = exhausted(failure, n, "interrupted while waiting to retry", earlier);
            x.addSuppressed(e);
            throw x;
        }
    }
}
