package dev.txkit.internal.tx;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;
import dev.txkit.internal.jdbc.Errors;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * How a physical transaction lets go of its connection: the ROLLBACK after a failure, and giving the
 * connection back as the pool handed it out. Problems of this cleanup never hide the failure that
 * ended the transaction: they become suppressed on it. Static methods; thread-safe.
 */
final class TxConnection {
    private TxConnection() {
    }

    /** Rolls back; a failure becomes suppressed on {@code primary}, or is returned when there is none. */
    static TxkitException rollback(TxRuntime rt, Connection connection, Throwable primary) {
        try {
            connection.rollback();
            return null;
        } catch (SQLException | RuntimeException e) {
            if (primary != null) {
                primary.addSuppressed(e);
                return null;
            }
            return e instanceof SQLException
                    ? Errors.translate(rt.dialects().orGeneric(), (SQLException) e, "ROLLBACK", false,
                    rt.settings().showValues)
                    : TxkitException.of(ErrorCode.SQL_ERROR, "ROLLBACK failed", e);
        }
    }

    /**
     * Gives the connection of transaction {@code txId} back: the options the dialect changed restored
     * ({@code restore}, or null when it changed none), then the autocommit mode the pool hands connections
     * out in, then close. For a pool whose connections are not in autocommit mode the mode is left as it
     * was; as switching it no longer ends anything there, a rollback makes sure that restoring the options
     * (H2 resets isolation with a statement) leaves no transaction open behind it (the drivers skip it when
     * nothing is open). A failure becomes suppressed on {@code primary}, or is reported when there is none.
     */
    static void giveBack(TxRuntime rt, long txId, Connection connection, Runnable restore, boolean poolAutoCommit,
                         Throwable primary) {
        try {
            restoreSession(connection, restore, poolAutoCommit);
        } catch (RuntimeException e) {
            if (primary != null) {
                primary.addSuppressed(e);
            } else {
                rt.listeners().report("restoring connection state after transaction " + txId, e);
            }
        } finally {
            try {
                connection.close();
            } catch (SQLException | RuntimeException e) {
                if (primary != null) {
                    primary.addSuppressed(e);
                }
            }
        }
    }

    private static void restoreSession(Connection connection, Runnable restore, boolean poolAutoCommit) {
        if (restore != null) {
            restore.run();
        }
        try {
            if (poolAutoCommit) {
                connection.setAutoCommit(true);
            } else {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("restoring the connection's autocommit mode failed", e);
        }
    }
}
