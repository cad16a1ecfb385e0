package dev.txkit.internal.jdbc;

import dev.txkit.ErrorCode;
import dev.txkit.Sql;
import dev.txkit.TxkitException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@link Sql} implementation: binds, runs on its executor, maps. Not thread-safe; cheap to create. */
public final class SqlImpl implements Sql {
    private static final Object[] NO_ARGS = new Object[0];

    private final StatementExecutor executor;
    private final String sql;
    private final Object[] args;

    public SqlImpl(StatementExecutor executor, String sql, Object[] args) {
        if (sql == null || sql.isBlank()) {
            throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "sql must not be null or blank");
        }
        if (args == null) {
            throw TxkitException.of(ErrorCode.INVALID_ARGUMENT,
                    "args must not be a null array; pass no arguments or (Object) null for a single NULL");
        }
        executor.sqlChecks().refuseControl(sql, executor.dialect());
        this.executor = executor;
        this.sql = sql;
        this.args = args.length == 0 ? NO_ARGS : args.clone();
    }

    @Override
    public int update() {
        executor.atStatement(sql, args);
        return executor.execute(sql, (connection, flight) -> {
            try (PreparedStatement ps = prepare(connection, flight, sql)) {
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public <T> List<T> list(Class<T> type) {
        requireType(type);
        executor.atStatement(sql, args);
        String text = executor.forRead(sql);
        return executor.execute(text, (connection, flight) -> {
            try (PreparedStatement ps = prepare(connection, flight, text); ResultSet rs = ps.executeQuery()) {
                Rows.Mapper<T> mapper = Rows.mapper(type, rs.getMetaData());
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
                return out;
            }
        });
    }

    @Override
    public <T> T one(Class<T> type) {
        List<T> rows = fetch(type, 2);
        if (rows.isEmpty()) {
            throw TxkitException.of(ErrorCode.NOT_FOUND, "expected exactly one row, got none from: "
                    + Errors.abbreviate(sql));
        }
        if (rows.size() > 1) {
            throw TxkitException.of(ErrorCode.SQL_ERROR, "expected exactly one row, got more than one from: "
                    + Errors.abbreviate(sql) + "; use list() or narrow the WHERE clause");
        }
        return rows.get(0);
    }

    @Override
    public <T> Optional<T> optional(Class<T> type) {
        List<T> rows = fetch(type, 2);
        if (rows.size() > 1) {
            throw TxkitException.of(ErrorCode.SQL_ERROR, "expected at most one row, got more than one from: "
                    + Errors.abbreviate(sql) + "; use list() or narrow the WHERE clause");
        }
        return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(rows.get(0));
    }

    private <T> List<T> fetch(Class<T> type, int limit) {
        requireType(type);
        executor.atStatement(sql, args);
        String text = executor.forRead(sql);
        return executor.execute(text, (connection, flight) -> {
            try (PreparedStatement ps = prepare(connection, flight, text); ResultSet rs = ps.executeQuery()) {
                Rows.Mapper<T> mapper = Rows.mapper(type, rs.getMetaData());
                List<T> out = new ArrayList<>(limit);
                while (out.size() < limit && rs.next()) {
                    out.add(mapper.map(rs));
                }
                return out;
            }
        });
    }

    private static void requireType(Class<?> type) {
        if (type == null) {
            throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "result type must not be null");
        }
    }

    private PreparedStatement prepare(Connection connection, InFlight flight, String text) throws SQLException {
        checkArgumentCount();
        PreparedStatement ps = connection.prepareStatement(text);
        try {
            flight.statement(ps);
            boolean uuidNative = executor.dialect().bindsUuidNatively();
            for (int i = 0; i < args.length; i++) {
                Values.bind(ps, i + 1, args[i], uuidNative);
            }
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    /**
     * Checked here, where the dialect is known and nothing has been sent: drivers disagree on a wrong
     * count (MariaDB dropped an extra argument silently and reported a missing one as a connection
     * failure, inviting a retry), so txkit counts the placeholders itself (issue 15).
     */
    private void checkArgumentCount() {
        int expected = executor.sqlChecks().placeholders(sql, executor.dialect());
        if (expected != SqlScanner.UNKNOWN && expected != args.length) {
            throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "the statement has " + expected + " placeholder"
                    + (expected == 1 ? "" : "s") + " (?) but " + args.length + " argument" + (args.length == 1 ? " was" : "s were")
                    + " given; nothing was sent: " + Errors.abbreviate(sql));
        }
    }

    @Override
    public String toString() {
        return "Sql[" + Errors.abbreviate(sql) + ", " + args.length + " args]";
    }
}
