package dev.txkit.internal.tx;

import dev.txkit.TxCallback;
import dev.txkit.TxOptions;
import dev.txkit.internal.retry.AttemptHook;
import dev.txkit.retry.RetryPolicy;
import dev.txkit.table.LockEscalation;

/**
 * How the layers above transactions (tables, idempotency) start them, without knowing the engine
 * that implements this. Implementations are thread-safe.
 */
public interface Transactions {
    /** {@code db.inTransaction(options, callback)}: joins or starts, as the propagation says. */
    default <R, X extends Exception> R inTransaction(TxOptions options, TxCallback<R, X> callback) throws X {
        return inTransaction(options, callback, null);
    }

    /**
     * A new physical transaction, retried by the one retry loop as {@code options.retry()} says, with
     * {@code hook} told about each attempt (used by {@code db.optimistic}). Must be called outside any
     * transaction of the scope.
     */
    <R, X extends Exception> R inNewTransaction(TxOptions options, TxCallback<R, X> callback, AttemptHook hook)
            throws X;

    /**
     * {@code db.optimistic}: a new transaction per attempt with {@code base}'s options, retried on
     * OPTIMISTIC_CONFLICT too, reads locking after a conflict as {@code escalation} says.
     */
    <R, X extends Exception> R optimistic(TxOptions base, RetryPolicy policy, LockEscalation escalation,
                                          TxCallback<R, X> work) throws X;

    /**
     * {@link #inTransaction} for a wrapper around the user's code: {@code site} (the user callback's class)
     * is the contention key unless the options name one.
     */
    <R, X extends Exception> R inTransaction(TxOptions options, TxCallback<R, X> callback, Object site) throws X;

    /** The runtime of the Database these transactions belong to. */
    TxRuntime runtime();
}
