package dev.txkit.testing;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransactionRollbackException;

/**
 * Ready-made driver failures for {@link FaultyDataSource}: the exceptions real drivers throw, with
 * their SQLSTATE and vendor code, so the code under test classifies them exactly as in production.
 * Each call returns a new exception. Static methods; thread-safe.
 */
public final class Faults {
    private Faults() {
    }

    /** {@return a PostgreSQL serialization failure: SQLSTATE 40001 (txkit: CONFLICT, retryable)} */
    public static SQLException serializationFailure() {
        return new SQLTransactionRollbackException("ERROR: could not serialize access due to concurrent update"
                + " (injected)", "40001");
    }

    /** {@return a PostgreSQL deadlock: SQLSTATE 40P01 (txkit: DEADLOCK, retryable)} */
    public static SQLException deadlock() {
        return new SQLTransactionRollbackException("ERROR: deadlock detected (injected)", "40P01");
    }

    /** {@return a MariaDB/MySQL deadlock (and Galera certification failure): vendor code 1213, SQLSTATE 40001} */
    public static SQLException mariaDbDeadlock() {
        return new SQLTransactionRollbackException("Deadlock found when trying to get lock; try restarting"
                + " transaction (injected)", "40001", 1213);
    }

    /** {@return a MariaDB/MySQL lock wait timeout: vendor code 1205, SQLSTATE HY000 (txkit: LOCK_TIMEOUT)} */
    public static SQLException lockWaitTimeout() {
        return new SQLException("Lock wait timeout exceeded; try restarting transaction (injected)", "HY000", 1205);
    }

    /** {@return a broken connection: SQLSTATE 08006 (txkit: CONNECTION_FAILURE, or COMMIT_UNKNOWN at COMMIT)} */
    public static SQLException connectionFailure() {
        return new SQLNonTransientConnectionException("An I/O error occurred while sending to the backend"
                + " (injected)", "08006");
    }

    /**
     * Any other failure, as a plain {@link SQLException}.
     *
     * @param sqlState the SQLSTATE the driver would report, or {@code null}
     * @param vendorCode the vendor error code, or 0
     * @param message the driver's message; {@code " (injected)"} is appended
     * @return the exception
     */
    public static SQLException of(String sqlState, int vendorCode, String message) {
        return new SQLException(message + " (injected)", sqlState, vendorCode);
    }
}
