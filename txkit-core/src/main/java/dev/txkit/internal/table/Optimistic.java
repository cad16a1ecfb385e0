package dev.txkit.internal.table;

import dev.txkit.ErrorCode;
import dev.txkit.Propagation;
import dev.txkit.TxCallback;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.internal.Engine;
import dev.txkit.internal.tx.PhysicalTx;
import dev.txkit.retry.RetryPolicy;
import dev.txkit.table.LockEscalation;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * Seed 000's {@code withOptimisticRetry}: runs a read-modify-write callback, each attempt in its own
 * transaction, again when it loses an optimistic conflict (or another failure the policy retries),
 * with the policy's backoff and budget. With {@link LockEscalation#AFTER_CONFLICT} the attempts after a
 * conflict read with {@code FOR UPDATE}, so a hot row cannot make them lose forever.
 */
public final class Optimistic {
    private Optimistic() {
    }

    public static <R, X extends Exception> R run(Engine engine, RetryPolicy policy, LockEscalation escalation,
                                                 TxCallback<R, X> work) throws X {
        return run(engine, engine.settings.defaults, policy, escalation, work);
    }

    /** As above, each attempt with {@code base}'s isolation, timeouts and read-only flag. */
    public static <R, X extends Exception> R run(Engine engine, TxOptions base, RetryPolicy policy,
                                                 LockEscalation escalation, TxCallback<R, X> work) throws X {
        if (policy == null || escalation == null || work == null) {
            throw new TxkitException(ErrorCode.INVALID_ARGUMENT, (policy == null ? "policy" : escalation == null
                    ? "escalation" : "callback") + " must not be null");
        }
        PhysicalTx outer = engine.current();
        if (outer != null) {
            throw new TxkitException(ErrorCode.MISUSE, "db.optimistic(...) was called inside " + outer + "; a retry"
                    + " must own the whole transaction (re-running only a part of it cannot undo the rest). Call it"
                    + " outside any transaction");
        }
        RetryPolicy effective = withOptimisticConflicts(policy);
        // Each attempt is exactly one transaction: the retry here is the only one (no nested retry loop).
        TxOptions options = base.withPropagation(Propagation.REQUIRES_NEW)
                .withRetry(RetryPolicy.none());
        long start = System.nanoTime();
        boolean lockReads = false;
        for (int attempt = 1; ; attempt++) {
            boolean locking = lockReads;
            try {
                return engine.inTransaction(options, tx -> {
                    PhysicalTx physical = (PhysicalTx) tx;
                    if (locking) {
                        Escalation.start(physical);
                    }
                    try {
                        return work.apply(tx);
                    } finally {
                        Escalation.end(physical);
                    }
                });
            } catch (TxkitException e) {
                if (!effective.shouldRetry(e, attempt)) {
                    boolean exhausted = attempt > 1 && attempt >= effective.maxAttempts()
                            && effective.retryOn().contains(e.code());
                    throw exhausted ? gaveUp(e, attempt, "maxAttempts " + effective.maxAttempts(), start) : e;
                }
                Duration delay = effective.delay(attempt);
                if (Duration.ofNanos(System.nanoTime() - start).plus(delay).compareTo(effective.maxDuration()) > 0) {
                    throw gaveUp(e, attempt, "the time budget of " + effective.maxDuration().toMillis() + " ms", start);
                }
                effective.onRetry().onRetry(attempt + 1, delay, e);
                sleep(delay, e);
                if (escalation == LockEscalation.AFTER_CONFLICT
                        && (e.code() == ErrorCode.OPTIMISTIC_CONFLICT || e.code() == ErrorCode.CONFLICT)) {
                    lockReads = true;
                }
            }
        }
    }

    /** The policy, also retrying OPTIMISTIC_CONFLICT (which a transaction-level policy must not retry blindly). */
    static RetryPolicy withOptimisticConflicts(RetryPolicy policy) {
        if (policy.retryOn().contains(ErrorCode.OPTIMISTIC_CONFLICT)) {
            return policy;
        }
        Set<ErrorCode> codes = EnumSet.copyOf(policy.retryOn());
        codes.add(ErrorCode.OPTIMISTIC_CONFLICT);
        return policy.toBuilder().retryOn(codes).build();
    }

    private static TxkitException gaveUp(TxkitException last, int attempts, String limit, long start) {
        long ms = (System.nanoTime() - start) / 1_000_000;
        String msg = last.getMessage();
        String prefix = last.code() + ": ";
        return new TxkitException(last.code(), "gave up after attempt " + attempts + " (" + limit + ", " + ms
                + " ms): " + (msg.startsWith(prefix) ? msg.substring(prefix.length()) : msg), last,
                last.sqlState(), last.vendorCode());
    }

    private static void sleep(Duration delay, TxkitException failure) {
        if (delay.isZero()) {
            return;
        }
        try {
            Thread.sleep(delay.toMillis(), (int) (delay.toNanos() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.addSuppressed(e);
            throw failure;
        }
    }
}
