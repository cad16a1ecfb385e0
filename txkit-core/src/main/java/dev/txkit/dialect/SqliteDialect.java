package dev.txkit.dialect;

import dev.txkit.ErrorCode;
import dev.txkit.Isolation;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.table.RowLock;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * SQLite (embedded). Transactions are always SERIALIZABLE; read-only is enforced with
 * {@code PRAGMA query_only}, which is put back afterwards. BUSY and LOCKED are lock conflicts.
 */
public final class SqliteDialect implements Dialect {
    /** A new instance; {@link Dialects#SQLITE} is the shared one. */
    public SqliteDialect() {
    }

    @Override
    public String name() {
        return "SQLite";
    }

    @Override
    public boolean supports(Isolation isolation) {
        return isolation == Isolation.SERIALIZABLE;
    }

    @Override
    public Runnable begin(Connection connection, TxOptions options) throws SQLException {
        if (!options.readOnly()) {
            return null;
        }
        pragma(connection, "PRAGMA query_only = ON");
        return () -> {
            try {
                pragma(connection, "PRAGMA query_only = OFF");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    private static void pragma(Connection connection, String sql) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute(sql);
        }
    }

    @Override
    public ErrorCode classify(SQLException failure, boolean atCommit) {
        return SqlStates.classify(failure, atCommit, (e, state, vendor, commit) -> {
            int primary = vendor & 0xff; // extended result codes keep the primary code in the low byte
            if (vendor == 517) { // SQLITE_BUSY_SNAPSHOT: a WAL reader's snapshot is stale; only a new transaction helps
                return ErrorCode.CONFLICT;
            }
            switch (primary) {
                case 5: // SQLITE_BUSY
                case 6: // SQLITE_LOCKED
                    return ErrorCode.LOCK_TIMEOUT;
                case 8: // SQLITE_READONLY (query_only)
                    return ErrorCode.READ_ONLY_VIOLATION;
                case 9: // SQLITE_INTERRUPT: sqlite3_interrupt from another thread
                    return ErrorCode.CANCELLED;
                case 19: // SQLITE_CONSTRAINT; extended 1555 primary key, 2067 unique
                    return vendor == 1555 || vendor == 2067 || isUniqueResult(e)
                            ? ErrorCode.UNIQUE_VIOLATION : ErrorCode.CONSTRAINT_VIOLATION;
                default:
                    return null;
            }
        });
    }

    /** sqlite-jdbc reports the primary code 19 but keeps the extended one in {@code getResultCode()}. */
    private static boolean isUniqueResult(SQLException e) {
        try {
            Object rc = e.getClass().getMethod("getResultCode").invoke(e);
            String name = String.valueOf(rc);
            return name.contains("UNIQUE") || name.contains("PRIMARYKEY");
        } catch (ReflectiveOperationException | RuntimeException ignored) {
            return false;
        }
    }

    @Override
    public String quote(String identifier) {
        return '"' + identifier + '"';
    }

    @Override
    public boolean supportsRowLocks() {
        return false;
    }

    @Override
    public String lockClause(RowLock mode) {
        throw TxkitException.of(ErrorCode.UNSUPPORTED, "SQLite has no row locks (SELECT ... FOR UPDATE "
                + mode + " is not SQL it knows): it locks the whole database on a transaction's first write."
                + " Use a @Version column and update()/tryUpdate(), or an atomic updateAll(Change...)");
    }

    @Override
    public String upsert(String table, List<String> columns, String key, String version) {
        return Upserts.onConflict(table, columns, key, version);
    }

    /** sqlite-jdbc reads last_insert_rowid(); it does not take column names. */
    @Override
    public PreparedStatement prepareInsert(Connection connection, String sql, String keyColumn)
            throws SQLException {
        return connection.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS);
    }

    @Override
    public String insertIfAbsent(String table, String columns, String values, String key) {
        return "INSERT OR IGNORE INTO " + table + " " + columns + " VALUES " + values;
    }

    @Override
    public List<String> idempotencyTableDdl(String table) {
        return List.of("CREATE TABLE IF NOT EXISTS " + table + " (idem_key TEXT NOT NULL PRIMARY KEY, "
                        + "fingerprint TEXT NOT NULL, result TEXT, created_at INTEGER NOT NULL, "
                        + "expires_at INTEGER NOT NULL)",
                "CREATE INDEX IF NOT EXISTS " + table + "_expires ON " + table + " (expires_at)");
    }
}
