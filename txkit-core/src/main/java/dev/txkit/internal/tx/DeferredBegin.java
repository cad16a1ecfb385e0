package dev.txkit.internal.tx;

import dev.txkit.TxOptions;
import dev.txkit.dialect.Dialect;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A transaction's begin that {@link TxBegin} left to its first statement, so an attempt that ends there (to
 * wait for its row's turn) has sent nothing: {@link Dialect#begin} alone where the driver has left autocommit
 * without a round trip ({@link Dialect#defersBegin}), or the whole start, leaving autocommit included
 * ({@link Dialect#defersStart}). Immutable.
 */
final class DeferredBegin {
    private final Dialect dialect;
    private final TxOptions options;
    private final boolean fromAutocommit;

    DeferredBegin(Dialect dialect, TxOptions options, boolean fromAutocommit) {
        this.dialect = dialect;
        this.options = options;
        this.fromAutocommit = fromAutocommit;
    }

    /** Sends it on {@code c}; returns what to restore when the connection is given back, or null. */
    Runnable send(Connection c) throws SQLException {
        Runnable restore = fromAutocommit ? dialect.beginFromAutocommit(c, options) : null;
        if (restore == null) {
            if (fromAutocommit) {
                c.setAutoCommit(false);
            }
            restore = dialect.begin(c, options);
        }
        return restore;
    }
}
