package dev.txkit.dialect;

import dev.txkit.Isolation;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Isolation set through JDBC, for databases where it is a session setting (H2, unknown products):
 * changed only when it differs, and put back after the transaction.
 */
final class JdbcIsolation {
    private JdbcIsolation() {
    }

    /** Sets {@code isolation} (null: leave as is); returns how to restore the previous level, or null. */
    static Runnable apply(Connection connection, Isolation isolation) throws SQLException {
        if (isolation == null) {
            return null;
        }
        int previous = connection.getTransactionIsolation();
        if (previous == isolation.jdbcLevel()) {
            return null;
        }
        connection.setTransactionIsolation(isolation.jdbcLevel());
        return () -> {
            try {
                connection.setTransactionIsolation(previous);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        };
    }
}
