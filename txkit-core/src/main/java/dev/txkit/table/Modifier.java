package dev.txkit.table;

/**
 * The change of a {@link Table#modify(Object, Modifier)}: takes the row as it is now and returns it as it
 * should be. It must be a pure function of its argument — txkit may run it again when the combined
 * transaction is retried, and runs it on whichever caller's thread leads the batch — and quick, since
 * the row stays locked while it runs. Throwing rejects the change: the exception reaches only this
 * caller, unchanged, and nothing of this change is written.
 *
 * @param <T> the record type
 * @param <X> the exception the change may throw to reject
 */
@FunctionalInterface
public interface Modifier<T, X extends Exception> {
    /**
     * Computes the new row.
     *
     * @param current the row as stored now, read under a row lock
     * @return the new row; the id must stay the same, a {@code @Version} is set by txkit
     * @throws X to reject this change; nothing of it is written
     */
    T apply(T current) throws X;
}
