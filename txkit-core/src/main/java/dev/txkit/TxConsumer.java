package dev.txkit;

/**
 * A unit of work that returns nothing. Its checked exception type passes through txkit unchanged.
 *
 * @param <X> the checked exception the work may throw
 */
@FunctionalInterface
public interface TxConsumer<X extends Exception> {
    void accept(Transaction tx) throws X;
}
