package dev.txkit.internal.tx;

import dev.txkit.table.Table;

/**
 * Makes {@code tx.table(type)} and {@code db.table(type)} tables. Implemented by the table layer and
 * handed to the runtime, so transactions need no reference to the table implementation (which refers
 * to them). Implementations are thread-safe.
 */
public interface TableFactory {
    /** A table of {@code type} bound to {@code tx}, or to the ambient scope when {@code tx} is {@code null}. */
    <T> Table<T> table(PhysicalTx tx, Class<T> type);
}
