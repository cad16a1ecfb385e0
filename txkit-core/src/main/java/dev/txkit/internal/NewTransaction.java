package dev.txkit.internal;

import dev.txkit.ErrorCode;
import dev.txkit.TxCallback;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.internal.contention.ContentionControl;
import dev.txkit.internal.contention.Permit;
import dev.txkit.internal.context.Listeners;
import dev.txkit.internal.retry.RetryLoop;
import dev.txkit.internal.tx.PhysicalTx;
import dev.txkit.internal.tx.TxBegin;
import dev.txkit.internal.tx.TxRuntime;
import dev.txkit.spi.TxAttempt;

import java.time.Duration;

/**
 * One call that needs a new physical transaction, the only retry boundary: the retry loop runs its
 * attempts, each behind admission control ({@link ContentionControl}), and each attempt begins, runs
 * the callback and commits on its own connection; a failed attempt is rolled back and its connection
 * returned before the backoff sleep. Hooks registered by a failed attempt die with it.
 *
 * <p>One object per call stands in for the retry body and the admitted attempt alike (issue 14: a
 * capturing lambda per layer, and the listener events built when nobody listens, cost more than the
 * JDBC calls of a short transaction on a fast driver). Not thread-safe: one call, one thread.
 */
final class NewTransaction<R, X extends Exception> implements RetryLoop.Body<R, X>, ContentionControl.Attempt<R, X> {
    private final TxRuntime rt;
    private final ContentionControl contention;
    private final TxCallback<R, X> callback;
    private final Object key;
    /** Whether a contended key's plain reads may lock (TxBegin); not for db.optimistic, whose escalation decides. */
    private final boolean readsMayLock;
    /** The attempt running now, or the last one once the call has ended. */
    private TxAttempt attempt;

    NewTransaction(TxRuntime rt, ContentionControl contention, TxCallback<R, X> callback, Object key,
                   boolean readsMayLock) {
        this.rt = rt;
        this.contention = contention;
        this.callback = callback;
        this.key = key;
        this.readsMayLock = readsMayLock;
    }

    /** Runs the call as one attempt that is never retried. */
    R once(TxOptions options) throws X {
        return run(TxAttempt.single(options));
    }

    /** Runs the call's attempts in {@code loop}; listeners hear when the call has finished. */
    R run(RetryLoop loop) throws X {
        Listeners listeners = rt.listeners();
        if (listeners.isEmpty()) {
            return loop.run(this);
        }
        long start = System.nanoTime();
        R result;
        try {
            result = loop.run(this);
        } catch (Throwable t) {
            finished(listeners, t, start);
            throw t;
        }
        finished(listeners, null, start);
        return result;
    }

    private void finished(Listeners listeners, Throwable failure, long start) {
        TxAttempt last = attempt;
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        listeners.emit(l -> l.transactionFinished(last, failure, took));
    }

    /** One attempt, behind admission for the call's contention key. */
    @Override
    public R run(TxAttempt next) throws X {
        attempt = next;
        return contention.run(key, next.options(), next, this);
    }

    /** The admitted attempt, with the options admission leaves it ({@code permit}: see TxBegin). */
    @Override
    public R run(TxOptions options, Permit permit) throws X {
        boolean told = !rt.listeners().isEmpty();
        long start = told ? System.nanoTime() : 0;
        if (told) {
            rt.listeners().emit(l -> l.attemptStarted(attempt));
        }
        PhysicalTx tx;
        try {
            tx = TxBegin.start(rt, options, attempt, permit, readsMayLock);
        } catch (RuntimeException e) {
            attemptFailed(e, start);
            throw e;
        }
        PhysicalTx previous = rt.slot().get();
        rt.slot().set(tx);
        R result;
        try {
            result = callback.apply(tx);
        } catch (Throwable t) {
            rt.slot().set(previous);
            tx.rollbackAfter(t);
            RuntimeException again = permit == null ? null : permit.pendingReadmit();
            if (again != null) {
                throw again; // it starts again behind its row (even if the callback caught that): not a failure
            }
            TxkitException deadlocked = tx.marks().failureInstead(tx.id(), t); // txkit cancelled what it blocked
            attemptFailed(deadlocked != null ? deadlocked : t, start);
            if (deadlocked != null) {
                throw deadlocked;
            }
            throw t;
        }
        rt.slot().set(previous); // hooks that run after commit must not see the ended transaction
        RuntimeException again = permit == null ? null : permit.pendingReadmit();
        if (again != null) { // the callback caught the end of its attempt: it rolls back and starts again all the same
            tx.rollbackAfter(again);
            throw again;
        }
        try {
            tx.commitAfterCallback();
        } catch (RuntimeException e) {
            attemptFailed(e, start);
            throw e;
        }
        return result;
    }

    private void attemptFailed(Throwable failure, long start) {
        if (!rt.listeners().isEmpty()) {
            TxAttempt failed = attempt;
            ErrorCode code = failure instanceof TxkitException ? ((TxkitException) failure).code() : null;
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            rt.listeners().emit(l -> l.attemptFailed(failed, code, failure, took));
        }
    }
}
