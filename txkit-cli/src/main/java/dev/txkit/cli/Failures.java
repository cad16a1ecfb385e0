package dev.txkit.cli;

import dev.txkit.TxkitException;

import java.net.ConnectException;
import java.sql.SQLException;

/** Turns a failure into the one line the CLI prints. */
final class Failures {
    private Failures() {
    }

    static String oneLine(Throwable ex) {
        if (ex instanceof BadInputException) {
            return ex.getMessage();
        }
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return "cannot connect to the database: " + t.getMessage();
            }
            if (t instanceof SQLException) {
                SQLException s = (SQLException) t;
                String state = s.getSQLState() == null ? "" : s.getSQLState();
                if (state.equals("28P01") || state.equals("28000") || s.getErrorCode() == 1045) {
                    return "the database refused the credentials (authentication failed)";
                }
                if (state.startsWith("08")) {
                    return "cannot connect to the database (SQLSTATE " + state + "): " + firstLine(s.getMessage());
                }
            }
        }
        if (ex instanceof TxkitException) {
            return ex.getMessage();
        }
        return ex.getClass().getSimpleName() + ": " + firstLine(ex.getMessage());
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
