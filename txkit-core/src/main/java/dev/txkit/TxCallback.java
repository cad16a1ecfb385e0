package dev.txkit;

/**
 * A unit of work that returns a value. Its checked exception type passes through txkit unchanged.
 *
 * @param <R> the result type
 * @param <X> the checked exception the work may throw
 */
@FunctionalInterface
public interface TxCallback<R, X extends Exception> {
    /**
     * Does the work.
     *
     * @param tx the transaction (or joined scope) to run statements in; valid until the callback returns
     * @return the result handed back to the caller
     * @throws X the work's own checked failure; rolls the transaction back and reaches the caller unchanged
     */
    R apply(Transaction tx) throws X;
}
