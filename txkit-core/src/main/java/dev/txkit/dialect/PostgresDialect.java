package dev.txkit.dialect;

import dev.txkit.ErrorCode;
import dev.txkit.Isolation;
import dev.txkit.TxOptions;

import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/**
 * PostgreSQL. Isolation and read-only are set per transaction with {@code SET TRANSACTION}, which
 * PgJDBC sends together with its implicit BEGIN, so nothing needs restoring afterwards.
 */
public class PostgresDialect implements Dialect {
    private static volatile Method backendPid;

    /** A new instance; {@link Dialects#POSTGRES} is the shared one; {@link CockroachDialect} extends it. */
    public PostgresDialect() {
    }

    @Override
    public String name() {
        return "PostgreSQL";
    }

    @Override
    public boolean supports(Isolation isolation) {
        return true;
    }

    @Override
    public Runnable begin(Connection connection, TxOptions options) throws SQLException {
        String sql = setTransaction(options);
        if (sql != null) {
            try (java.sql.Statement st = connection.createStatement()) {
                st.execute(sql);
            }
        }
        return null;
    }

    /** {@code SET TRANSACTION} restores nothing, and PgJDBC sends BEGIN only with the first statement. */
    @Override
    public boolean defersBegin() {
        return true;
    }

    static String setTransaction(TxOptions options) {
        Isolation iso = options.isolation();
        if (iso == null && !options.readOnly()) {
            return null;
        }
        StringBuilder sb = new StringBuilder("SET TRANSACTION ");
        if (iso != null) {
            sb.append("ISOLATION LEVEL ").append(iso.sql());
        }
        if (options.readOnly()) {
            sb.append(iso != null ? ", " : "").append("READ ONLY");
        }
        return sb.toString();
    }

    @Override
    public ErrorCode classify(SQLException failure, boolean atCommit) {
        return SqlStates.classify(failure, atCommit, PostgresDialect::lookup);
    }

    static ErrorCode lookup(SQLException e, String state, int vendor, boolean atCommit) {
        switch (state) {
            case "40001":
                return ErrorCode.CONFLICT;
            case "40P01":
                return ErrorCode.DEADLOCK;
            case "55P03":
                return ErrorCode.LOCK_TIMEOUT;
            case "57014": // statement_timeout, or pg_cancel_backend / another client's cancel
                return SqlStates.cancelOrTimeout(e);
            case "25P02":
                return ErrorCode.ROLLBACK_ONLY;
            case "25006":
                return ErrorCode.READ_ONLY_VIOLATION;
            case "57P01":
            case "57P02":
            case "57P03":
                return SqlStates.connectionLost(atCommit);
            default:
                return null;
        }
    }

    @Override
    public String quote(String identifier) {
        return '"' + identifier + '"';
    }

    @Override
    public String quoteAsStored(String identifier) {
        return quote(identifier.toLowerCase(Locale.ROOT));
    }

    @Override
    public String upsert(String table, List<String> columns, String key, String version) {
        return Upserts.onConflict(table, columns, key, version);
    }

    @Override
    public long sessionId(Connection connection) {
        try {
            Class<?> pg = Class.forName("org.postgresql.PGConnection", false, connection.getClass().getClassLoader());
            if (!connection.isWrapperFor(pg)) {
                return -1;
            }
            Method m = backendPid;
            if (m == null) {
                m = pg.getMethod("getBackendPID");
                backendPid = m;
            }
            return ((Number) m.invoke(connection.unwrap(pg))).longValue();
        } catch (ReflectiveOperationException | SQLException | LinkageError e) {
            return -1;
        }
    }

    @Override
    public boolean bindsUuidNatively() {
        return true;
    }

    @Override
    public String blockingSessionsQuery(String sessionIds) {
        return "SELECT w, unnest(pg_blocking_pids(w)) FROM unnest(ARRAY[" + sessionIds + "]::int[]) AS w";
    }

    @Override
    public String lockWaitsQuery(String holders, String waiters) {
        return "SELECT a.pid, b.pid, host(a.client_addr), a.client_port,"
                + " (EXTRACT(EPOCH FROM clock_timestamp() - a.query_start) * 1000)::bigint"
                + " FROM pg_stat_activity a CROSS JOIN LATERAL unnest(pg_blocking_pids(a.pid)) AS b(pid)"
                + " WHERE a.wait_event_type = 'Lock' AND (b.pid = ANY(ARRAY[" + holders + "]::int[])"
                + " OR a.pid = ANY(ARRAY[" + waiters + "]::int[]))";
    }

    @Override
    public String cancelStatement(long session) {
        return "SELECT pg_cancel_backend(" + session + ")";
    }

    @Override
    public List<String> diagnosticSessionSetup() {
        return List.of("SET application_name = 'txkit self-deadlock probe'");
    }

    /** PgJDBC puts constraint values in messages ("Key (email)=(...)"); keep them out of logs. */
    @Override
    public java.util.Map<String, String> pooledDriverProperties() {
        return java.util.Map.of("logServerErrorDetail", "false");
    }

    @Override
    public String insertIfAbsent(String table, String columns, String values, String key) {
        return "INSERT INTO " + table + " " + columns + " VALUES " + values + " ON CONFLICT (" + key + ") DO NOTHING";
    }
}
