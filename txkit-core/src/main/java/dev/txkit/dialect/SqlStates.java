package dev.txkit.dialect;

import dev.txkit.ErrorCode;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

/**
 * Classification shared by all dialects: walks the cause chain and {@link SQLException#getNextException()}
 * and asks a per-product function first, then the standard SQLSTATE classes.
 */
final class SqlStates {
    private SqlStates() {
    }

    /** A per-product lookup for one exception of the chain; returns null when it knows nothing. */
    interface Lookup {
        ErrorCode lookup(SQLException e, String state, int vendor, boolean atCommit);
    }

    static ErrorCode classify(SQLException failure, boolean atCommit, Lookup product) {
        ErrorCode generic = null;
        int guard = 0;
        for (SQLException e : chain(failure)) {
            if (++guard > 50) {
                break;
            }
            String state = e.getSQLState();
            ErrorCode specific = product.lookup(e, state == null ? "" : state, e.getErrorCode(), atCommit);
            if (specific != null) {
                return specific;
            }
            if (generic == null) {
                generic = standard(e, state == null ? "" : state, atCommit);
            }
        }
        return generic == null ? ErrorCode.SQL_ERROR : generic;
    }

    static ErrorCode standard(SQLException e, String state, boolean atCommit) {
        if (state.startsWith("08") || e instanceof SQLNonTransientConnectionException
                || e instanceof SQLTransientConnectionException || e instanceof SQLRecoverableException) {
            return connectionLost(atCommit);
        }
        switch (state) {
            case "40001":
                return ErrorCode.CONFLICT;
            case "40P01":
                return ErrorCode.DEADLOCK;
            case "23505":
                return ErrorCode.UNIQUE_VIOLATION;
            case "25006":
                return ErrorCode.READ_ONLY_VIOLATION;
            case "57014":
                return cancelOrTimeout(e);
            default:
                break;
        }
        if (state.startsWith("23")) {
            return ErrorCode.CONSTRAINT_VIOLATION;
        }
        return null;
    }

    /**
     * SQLSTATE 57014 that txkit did not cause (its own cancels are known before classification): the
     * server's statement timeout says so in its text; anything else was a cancel from outside.
     */
    static ErrorCode cancelOrTimeout(SQLException e) {
        String m = e.getMessage();
        return m != null && m.toLowerCase(java.util.Locale.ROOT).contains("statement timeout")
                ? ErrorCode.TIMEOUT : ErrorCode.CANCELLED;
    }

    static ErrorCode connectionLost(boolean atCommit) {
        return atCommit ? ErrorCode.COMMIT_UNKNOWN : ErrorCode.CONNECTION_FAILURE;
    }

    /** The exceptions reachable through causes and next-exception links, in discovery order, no repeats. */
    static Iterable<SQLException> chain(SQLException root) {
        java.util.List<SQLException> out = new java.util.ArrayList<>();
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        java.util.ArrayDeque<Throwable> todo = new java.util.ArrayDeque<>();
        todo.add(root);
        while (!todo.isEmpty() && out.size() < 50) {
            Throwable t = todo.poll();
            if (t == null || !seen.add(t)) {
                continue;
            }
            if (t instanceof SQLException) {
                SQLException s = (SQLException) t;
                out.add(s);
                if (s.getNextException() != null) {
                    todo.add(s.getNextException());
                }
            }
            if (t.getCause() != null) {
                todo.add(t.getCause());
            }
        }
        return out;
    }
}
