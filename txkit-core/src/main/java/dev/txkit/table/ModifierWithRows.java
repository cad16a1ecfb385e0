package dev.txkit.table;

import java.util.function.Consumer;

/**
 * A {@link Modifier} that also writes rows of its own in the same transaction, such as the ledger row of
 * a deduction: each row given to {@code addRow} is inserted (all rows of a combined batch as one JDBC
 * batch) if and only if this change is accepted and committed. The same rules as for {@link Modifier}
 * apply: pure, quick, and throwing rejects the change together with its rows.
 *
 * @param <T> the record type of the modified row
 * @param <C> the record type of the added rows
 * @param <X> the exception the change may throw to reject
 */
@FunctionalInterface
public interface ModifierWithRows<T, C, X extends Exception> {
    /**
     * Computes the new row and the rows to add with it.
     *
     * @param current the row as stored now, read under a row lock
     * @param addRow takes rows to insert with this change, only if it is accepted
     * @return the new row; the id must stay the same, a {@code @Version} is set by txkit
     * @throws X to reject this change with its rows; nothing of it is written
     */
    T apply(T current, Consumer<? super C> addRow) throws X;
}
