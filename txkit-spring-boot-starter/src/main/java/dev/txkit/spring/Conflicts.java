package dev.txkit.spring;

import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;

import java.sql.SQLException;

/**
 * Spring code inside a txkit transaction ({@code JdbcTemplate}, jOOQ) reports a write conflict as
 * its own exception ({@code CannotAcquireLockException}, {@code PessimisticLockingFailureException}…)
 * with the driver's {@link SQLException} as a cause. txkit's retry loop retries only
 * {@link TxkitException}s, so at a {@link TxkitTransactional} boundary such an exception is
 * classified by the database's dialect and, when the retry policy retries that code, carried as a
 * TxkitException (the original stays its cause). Other exceptions pass through unchanged.
 */
final class Conflicts {
    private Conflicts() {
    }

    static RuntimeException retryable(Database db, TxOptions options, RuntimeException failure) {
        if (failure instanceof TxkitException || options.retry().maxAttempts() == 1) {
            return failure;
        }
        SQLException sql = sqlCause(failure);
        if (sql == null) {
            return failure;
        }
        ErrorCode code = db.dialect().classify(sql, false);
        if (!options.retry().retryOn().contains(code)) {
            return failure;
        }
        return TxkitException.of(code, code + " reported through " + failure.getClass().getSimpleName()
                + " (SQLSTATE " + sql.getSQLState() + ", vendor code " + sql.getErrorCode() + ")",
                failure, sql.getSQLState(), sql.getErrorCode());
    }

    private static SQLException sqlCause(Throwable t) {
        for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
            if (c instanceof SQLException) {
                return (SQLException) c;
            }
        }
        return null;
    }
}
