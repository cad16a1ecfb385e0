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

    /** For subclasses; elsewhere use {@link #of(ErrorCode, String)}. */
    protected TxkitException(ErrorCode code, String message) {
        this(code, message, null, null, 0);
    }

    /** For subclasses; elsewhere use {@link #of(ErrorCode, String, Throwable)}. */
    protected TxkitException(ErrorCode code, String message, Throwable cause) {
        this(code, message, cause, stateOf(cause), vendorOf(cause));
    }

    /**
     * For subclasses; elsewhere use {@link #of(ErrorCode, String, Throwable, String, int)}. The code is
     * kept apart from {@code message}: {@link #getMessage()} puts the two together when asked.
     */
    protected TxkitException(ErrorCode code, String message, Throwable cause, String sqlState, int vendorCode) {
        super(message, cause);
        this.code = code;
        this.sqlState = sqlState;
        this.vendorCode = vendorCode;
    }

    /** A failure of {@code code}; the SQLSTATE and vendor code are unknown. */
    public static TxkitException of(ErrorCode code, String message) {
        return new TxkitException(code, message);
    }

    /** A failure of {@code code} caused by {@code cause}, whose SQLSTATE and vendor code it takes if it has them. */
    public static TxkitException of(ErrorCode code, String message, Throwable cause) {
        return new TxkitException(code, message, cause);
    }

    /** A failure of {@code code} with the database's SQLSTATE and vendor code. */
    public static TxkitException of(ErrorCode code, String message, Throwable cause, String sqlState, int vendorCode) {
        return new TxkitException(code, message, cause, sqlState, vendorCode);
    }

    /** {@code CODE: what happened}, e.g. {@code CONFLICT: write conflict or serialization failure ...}. */
    @Override
    public String getMessage() {
        return code + ": " + super.getMessage();
    }

    /** What happened, without the leading code. */
    public String detail() {
        return super.getMessage();
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
