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

    /** The stable error code. */
    private final ErrorCode code;
    /** The database's SQLSTATE, or {@code null}. */
    private final String sqlState;
    /** The database's vendor error code, or 0. */
    private final int vendorCode;

    /**
     * For subclasses; elsewhere use {@link #of(ErrorCode, String)}.
     *
     * @param code the stable error code
     * @param message what happened, without the code and without bound values
     */
    protected TxkitException(ErrorCode code, String message) {
        this(code, message, null, null, 0);
    }

    /**
     * For subclasses; elsewhere use {@link #of(ErrorCode, String, Throwable)}.
     *
     * @param code the stable error code
     * @param message what happened, without the code and without bound values
     * @param cause the underlying failure; its SQLSTATE and vendor code are kept when it is an
     *              {@link SQLException}
     */
    protected TxkitException(ErrorCode code, String message, Throwable cause) {
        this(code, message, cause, stateOf(cause), vendorOf(cause));
    }

    /**
     * For subclasses; elsewhere use {@link #of(ErrorCode, String, Throwable, String, int)}. The code is
     * kept apart from {@code message}: {@link #getMessage()} puts the two together when asked.
     *
     * @param code the stable error code
     * @param message what happened, without the code and without bound values
     * @param cause the underlying failure, or {@code null}
     * @param sqlState the database's SQLSTATE, or {@code null}
     * @param vendorCode the database's vendor error code, or 0
     */
    protected TxkitException(ErrorCode code, String message, Throwable cause, String sqlState, int vendorCode) {
        super(message, cause);
        this.code = code;
        this.sqlState = sqlState;
        this.vendorCode = vendorCode;
    }

    /**
     * A failure of {@code code}; the SQLSTATE and vendor code are unknown.
     *
     * @param code the stable error code
     * @param message what happened, without the code and without bound values
     * @return the exception, to be thrown by the caller
     */
    public static TxkitException of(ErrorCode code, String message) {
        return new TxkitException(code, message);
    }

    /**
     * A failure of {@code code} caused by {@code cause}, whose SQLSTATE and vendor code it takes if it
     * has them.
     *
     * @param code the stable error code
     * @param message what happened, without the code and without bound values
     * @param cause the underlying failure
     * @return the exception, to be thrown by the caller
     */
    public static TxkitException of(ErrorCode code, String message, Throwable cause) {
        return new TxkitException(code, message, cause);
    }

    /**
     * A failure of {@code code} with the database's SQLSTATE and vendor code, for failures whose
     * {@code cause} is not the {@link SQLException} that carried them.
     *
     * @param code the stable error code
     * @param message what happened, without the code and without bound values
     * @param cause the underlying failure, or {@code null}
     * @param sqlState the database's SQLSTATE, or {@code null}
     * @param vendorCode the database's vendor error code, or 0
     * @return the exception, to be thrown by the caller
     */
    public static TxkitException of(ErrorCode code, String message, Throwable cause, String sqlState, int vendorCode) {
        return new TxkitException(code, message, cause, sqlState, vendorCode);
    }

    /** {@code CODE: what happened}, e.g. {@code CONFLICT: write conflict or serialization failure ...}. */
    @Override
    public String getMessage() {
        return code + ": " + super.getMessage();
    }

    /** {@return what happened, without the leading code: the text {@link #getMessage()} shows after it} */
    public String detail() {
        return super.getMessage();
    }

    /** {@return the stable error code, to switch on} */
    public ErrorCode code() {
        return code;
    }

    /** {@return the HTTP status of {@link #code()}, e.g. 409 for a conflict} */
    public int httpStatus() {
        return code.httpStatus();
    }

    /** {@return whether running the whole transaction again can help (see {@link ErrorCode#retryable()})} */
    public boolean retryable() {
        return code.retryable();
    }

    /** {@return the SQLSTATE reported by the database, or {@code null} when the failure did not come from it} */
    public String sqlState() {
        return sqlState;
    }

    /** {@return the vendor error code reported by the database (MariaDB 1213, SQLite 5), or 0} */
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
