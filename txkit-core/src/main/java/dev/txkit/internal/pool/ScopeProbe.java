package dev.txkit.internal.pool;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What a connection borrowed outside a scope needs to know when it is used later, perhaps inside a
 * transaction that began meanwhile on the same thread (a JDBI {@code Handle} opened before
 * {@code db.inTransaction(...)}). Implemented by the transaction layer, so this package needs no
 * reference to it. Implementations are thread-safe.
 */
public interface ScopeProbe {
    /** The transaction bound to the current scope, for messages; {@code null} when there is none. */
    Object current();

    /** A view of the scope's transaction connection to prepare statements on (MISUSE in strict mode). */
    Connection joinedConnection() throws SQLException;
}
