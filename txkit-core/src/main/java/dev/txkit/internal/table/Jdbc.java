package dev.txkit.internal.table;

import dev.txkit.dialect.Dialect;
import dev.txkit.internal.jdbc.StatementExecutor;
import dev.txkit.internal.jdbc.Values;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the table statements on a {@link StatementExecutor} (a transaction, the ambient router, or
 * autocommit), registering each with its in-flight record so timeouts can cancel it.
 */
final class Jdbc {
    /** Reads one row. */
    interface Reader<R> {
        R read(ResultSet rs) throws SQLException;
    }

    private Jdbc() {
    }

    static int update(StatementExecutor on, Dialect dialect, String sql, List<?> params) {
        on.atStatement(sql, params);
        return on.execute(sql, (c, flight) -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                flight.statement(ps);
                bind(ps, dialect, params);
                return ps.executeUpdate();
            }
        });
    }

    static <R> List<R> query(StatementExecutor on, Dialect dialect, String sql, List<?> params, Reader<R> reader,
                             int max) {
        on.atStatement(sql, params);
        return on.execute(sql, (c, flight) -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                flight.statement(ps);
                bind(ps, dialect, params);
                try (ResultSet rs = ps.executeQuery()) {
                    List<R> out = new ArrayList<>();
                    while (out.size() < max && rs.next()) {
                        out.add(reader.read(rs));
                    }
                    return out;
                }
            }
        });
    }

    /** Runs an INSERT and returns the generated key (or {@code null} if the driver reported none). */
    static Object insertReturningKey(StatementExecutor on, Dialect dialect, String sql, List<?> params,
                                     String keyColumn) {
        return on.execute(sql, (c, flight) -> {
            try (PreparedStatement ps = dialect.prepareInsert(c, sql, keyColumn)) {
                flight.statement(ps);
                bind(ps, dialect, params);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    return keys.next() ? keys.getObject(1) : null;
                }
            }
        });
    }

    /** Runs one statement once per parameter row as a JDBC batch. */
    static void batch(StatementExecutor on, Dialect dialect, String sql, List<List<Object>> rows) {
        if (rows.isEmpty()) {
            return;
        }
        on.execute(sql, (c, flight) -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                flight.statement(ps);
                for (List<Object> row : rows) {
                    bind(ps, dialect, row);
                    ps.addBatch();
                }
                ps.executeBatch();
                return null;
            }
        });
    }

    private static void bind(PreparedStatement ps, Dialect dialect, List<?> params) throws SQLException {
        boolean uuidNative = dialect.bindsUuidNatively();
        for (int i = 0; i < params.size(); i++) {
            Values.bind(ps, i + 1, params.get(i), uuidNative);
        }
    }
}
