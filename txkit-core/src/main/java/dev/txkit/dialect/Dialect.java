package dev.txkit.dialect;

import dev.txkit.ErrorCode;
import dev.txkit.Isolation;
import dev.txkit.TxOptions;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What txkit needs to know about one database product: which isolation levels it has, how to
 * start a transaction with given options without changing session state, and how to classify its
 * errors. Implementations are stateless and thread-safe.
 */
public interface Dialect {

    /** A short product name, e.g. {@code PostgreSQL}. */
    String name();

    /** Whether the database runs transactions at {@code isolation}. */
    boolean supports(Isolation isolation);

    /**
     * Applies isolation and read-only for the transaction about to start on {@code connection}
     * (autocommit already off). Sends nothing when both are defaults. Returns the work that puts
     * the session back as it was after the transaction, or {@code null} when nothing was changed
     * at session level.
     */
    Runnable begin(Connection connection, TxOptions options) throws SQLException;

    /**
     * Classifies a failure. {@code atCommit} is true when it was raised by COMMIT, where a lost
     * connection means the outcome is unknown. Returns {@link ErrorCode#SQL_ERROR} when nothing
     * more specific applies.
     */
    ErrorCode classify(SQLException failure, boolean atCommit);

    /**
     * Whether an error of this code leaves the transaction usable. PostgreSQL aborts the whole
     * transaction on any error; MariaDB's lock wait timeout rolls back only the statement, which is
     * why txkit rolls back the whole transaction itself for retryable codes.
     */
    default boolean abortsTransaction(ErrorCode code) {
        return code.retryable() || code == ErrorCode.TIMEOUT || code == ErrorCode.CONNECTION_FAILURE
                || code == ErrorCode.COMMIT_UNKNOWN;
    }

    /** Quotes a validated identifier (table or column name). */
    String quote(String identifier);

    /**
     * The server's id of the session behind {@code connection} (PostgreSQL backend pid, MariaDB
     * thread id), read from the driver without a round trip; {@code -1} when unknown.
     */
    default long sessionId(Connection connection) {
        return -1;
    }
}
