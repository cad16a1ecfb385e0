package dev.txkit.internal.table;

import dev.txkit.ErrorCode;
import dev.txkit.Propagation;
import dev.txkit.TxCallback;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.internal.retry.AttemptHook;
import dev.txkit.internal.contention.ContentionControl;
import dev.txkit.internal.tx.PhysicalTx;
import dev.txkit.retry.RetryPolicy;
import dev.txkit.spi.TxAttempt;
import dev.txkit.table.LockEscalation;

import java.util.EnumSet;
import java.util.Set;

/**
 * Seed 000's {@code withOptimisticRetry}: runs a read-modify-write callback, each attempt in its own
 * transaction, again when it loses an optimistic conflict (or another failure the policy retries),
 * with the policy's backoff and budget. It is the transaction retry loop itself with one per-attempt
 * hook, so attempts, listener events, {@code onRetry} and giving up are exactly those of
 * {@code inTransaction}. With {@link LockEscalation#AFTER_CONFLICT} the attempts after a conflict read
 * with {@code FOR UPDATE}, so a hot row cannot make them lose forever. One instance per call; not
 * thread-safe.
 */
public final class Optimistic implements AttemptHook {
    /** How long after a collision of its attempts a call site reads with locks from the start. */
    private static final java.time.Duration HOT_WINDOW = java.time.Duration.ofSeconds(1);

    private final Tables tables;
    private final LockEscalation escalation;
    private boolean lockReads;

    private Optimistic(Tables tables, LockEscalation escalation) {
        this.tables = tables;
        this.escalation = escalation;
    }

    /** Each attempt with {@code base}'s isolation, timeouts and read-only flag. */
    public static <R, X extends Exception> R run(Tables tables, TxOptions base, RetryPolicy policy,
                                                 LockEscalation escalation, TxCallback<R, X> work) throws X {
        if (policy == null || escalation == null || work == null) {
            throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, (policy == null ? "policy" : escalation == null
                    ? "escalation" : "callback") + " must not be null");
        }
        PhysicalTx outer = tables.runtime().current();
        if (outer != null) {
            throw TxkitException.of(ErrorCode.MISUSE, "db.optimistic(...) was called inside " + outer + "; a retry"
                    + " must own the whole transaction (re-running only a part of it cannot undo the rest). Call it"
                    + " outside any transaction");
        }
        // The caller's key, else its call site (not this class's lambda), is the contention key. Calls that can
        // escalate are only watched, never held back by admission: locking is their answer to collisions.
        Object site = base.contentionKey() != null ? base.contentionKey() : work.getClass();
        boolean escalates = escalation == LockEscalation.AFTER_CONFLICT;
        Object key = escalates ? new ContentionControl.Observed(site) : site;
        TxOptions options = base.withPropagation(Propagation.REQUIRES_NEW).withRetry(tables.optimisticPolicy(policy))
                .withContentionKey(key);
        Optimistic hook = new Optimistic(tables, escalation);
        // OCC's cost while the call site is cold, lock throughput while it is hot: if its attempts collided
        // lately, read with locks from the first attempt (the row lock queues them in the database, nothing is
        // wasted), for as long as calls keep overlapping; once they have not for a while, they try without
        // locks again.
        hook.lockReads = escalates && tables.contention.contendedWithin(key, HOT_WINDOW);
        return tables.transactions.inNewTransaction(options, tx -> hook.attempt((PhysicalTx) tx, work), hook);
    }

    private <R, X extends Exception> R attempt(PhysicalTx tx, TxCallback<R, X> work) throws X {
        if (!lockReads) {
            return work.apply(tx);
        }
        tables.escalation.start(tx);
        try {
            return work.apply(tx);
        } finally {
            tables.escalation.end(tx);
        }
    }

    @Override
    public void retrying(TxAttempt failed, TxkitException failure) {
        if (escalation == LockEscalation.AFTER_CONFLICT
                && (failure.code() == ErrorCode.OPTIMISTIC_CONFLICT || failure.code() == ErrorCode.CONFLICT)) {
            lockReads = true;
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
}
