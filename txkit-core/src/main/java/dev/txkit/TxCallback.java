package dev.txkit;

/**
 * A unit of work that returns a value. Its checked exception type passes through txkit unchanged.
 *
 * @param <R> the result type
 * @param <X> the checked exception the work may throw
 */
@FunctionalInterface
public interface TxCallback<R, X extends Exception> {
    R apply(Transaction tx) throws X;
}
