package dev.txkit;

/**
 * A unit of work that returns nothing. Its checked exception type passes through txkit unchanged.
 *
 * @param <X> the checked exception the work may throw
 */
@FunctionalInterface
public interface TxConsumer<X extends Exception> {
    /**
     * Does the work.
     *
     * @param tx the transaction (or joined scope) to run statements in; valid until the callback returns
     * @throws X the work's own checked failure; rolls the transaction back and reaches the caller unchanged
     */
    void accept(Transaction tx) throws X;
}
