package dev.txkit;

import java.sql.SQLException;

/**
 * The one unchecked exception txkit throws. {@link #code()} says what went wrong in a stable,
 * switchable form; the message says what happened, the relevant numbers and what to do next. Bound
 * values never appear in the message.
 *
 * <p>Immutable apart from the suppressed exceptions the JDK lets anyone add; safe to share.
 */
public class TxkitException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String sqlState;
    private final int vendorCode;

    public TxkitException(ErrorCode code, String message) {
        this(code, message, null, null, 0);
    }

    public TxkitException(ErrorCode code, String message, Throwable cause) {
        this(code, message, cause, stateOf(cause), vendorOf(cause));
    }

    public TxkitException(ErrorCode code, String message, Throwable cause, String sqlState, int vendorCode) {
        super(code + ": " + message, cause);
        this.code = code;
        this.sqlState = sqlState;
        this.vendorCode = vendorCode;
    }

    /** The stable error code. */
    public ErrorCode code() {
        return code;
    }

    /** The HTTP status of {@link #code()}. */
    public int httpStatus() {
        return code.httpStatus();
    }

    /** Whether running the whole transaction again can help. */
    public boolean retryable() {
        return code.retryable();
    }

    /** The SQLSTATE reported by the database, or {@code null} when the failure did not come from it. */
    public String sqlState() {
        return sqlState;
    }

    /** The vendor error code reported by the database (MariaDB 1213, SQLite 5), or 0. */
    public int vendorCode() {
        return vendorCode;
    }

    private static String stateOf(Throwable t) {
        return t instanceof SQLException ? ((SQLException) t).getSQLState() : null;
    }

    private static int vendorOf(Throwable t) {
        return t instanceof SQLException ? ((SQLException) t).getErrorCode() : 0;
    }
}
