package dev.txkit.internal.jdbc;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;
import dev.txkit.dialect.Dialect;

import java.sql.SQLException;

/**
 * Turns driver exceptions into {@link TxkitException}s. The message is txkit's own text plus the
 * SQL (never the bound values). Driver messages of data and constraint errors quote the offending
 * values ("Duplicate entry 'alice@example.com'"), so for those the cause is replaced by a redacted
 * copy unless value logging was switched on.
 */
public final class Errors {
    private static final java.util.regex.Pattern WHITESPACE = java.util.regex.Pattern.compile("\\s+");

    private Errors() {
    }

    public static TxkitException translate(Dialect dialect, SQLException e, String sql, boolean atCommit,
                                           boolean showValues) {
        return translate(dialect, null, e, sql, atCommit, showValues);
    }

    /** As above, letting the dialect refine the code with the connection the statement failed on. */
    public static TxkitException translate(Dialect dialect, java.sql.Connection connection, SQLException e, String sql,
                                           boolean atCommit, boolean showValues) {
        ErrorCode code = dialect.classify(e, atCommit);
        if (connection != null) {
            code = dialect.refine(connection, e, code);
        }
        String state = e.getSQLState();
        StringBuilder msg = new StringBuilder(describe(code));
        msg.append(" (").append(dialect.name());
        if (state != null) {
            msg.append(", SQLSTATE ").append(state);
        }
        if (e.getErrorCode() != 0) {
            msg.append(", vendor code ").append(e.getErrorCode());
        }
        msg.append(')');
        if (sql != null) {
            msg.append(" in: ").append(abbreviate(sql));
        }
        if (showValues || !mayQuoteValues(state)) {
            msg.append("; driver said: ").append(Redaction.text(firstLine(e.getMessage())));
        }
        // Credentials are hidden even with showValues: a driver may echo the URL it was given
        Throwable cause = showValues || !mayQuoteValues(state) ? Redaction.scrub(e, java.util.List.of()) : redacted(e);
        return TxkitException.of(code, msg.toString(), cause, state, e.getErrorCode());
    }

    /** Data exceptions (22) and constraint violations (23) carry values in their driver text. */
    static boolean mayQuoteValues(String state) {
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }

    private static SQLException redacted(SQLException e) {
        SQLException copy = new SQLException(e.getClass().getName()
                + ": driver message hidden because it may contain bound values (enable showValues to see it)",
                e.getSQLState(), e.getErrorCode());
        copy.setStackTrace(e.getStackTrace());
        return copy;
    }

    public static String abbreviate(String sql) {
        String flat = WHITESPACE.matcher(sql).replaceAll(" ").trim();
        return flat.length() > 200 ? flat.substring(0, 200) + "…" : flat;
    }

    static String describe(ErrorCode code) {
        switch (code) {
            case CONFLICT:
                return "write conflict or serialization failure; the transaction was rolled back and can be retried";
            case DEADLOCK:
                return "deadlock: the database chose this transaction as the victim and rolled it back; retry it";
            case LOCK_TIMEOUT:
                return "a lock could not be obtained in time; the whole transaction was rolled back";
            case UNIQUE_VIOLATION:
                return "unique constraint violated";
            case CONSTRAINT_VIOLATION:
                return "integrity constraint violated";
            case READ_ONLY_VIOLATION:
                return "write attempted in a read-only transaction";
            case TIMEOUT:
                return "statement stopped by the database's own statement timeout";
            case CANCELLED:
                return "statement cancelled from outside txkit (pg_cancel_backend, KILL QUERY or another client's"
                        + " cancel) before any txkit timeout expired; the transaction was rolled back";
            case COMMIT_UNKNOWN:
                return "connection lost while COMMIT was in flight: the transaction may or may not have committed";
            case CONNECTION_FAILURE:
                return "connection to the database failed; nothing was committed";
            case ROLLBACK_ONLY:
                return "an earlier statement of this transaction failed, so the database refuses further statements;"
                        + " catch failures inside a NESTED scope or savepoint to continue";
            default:
                return "database error";
        }
    }
}
