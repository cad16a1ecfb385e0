package dev.txkit.dialect;

import dev.txkit.ErrorCode;
import dev.txkit.Isolation;
import dev.txkit.TxOptions;

import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * MariaDB and MySQL (including Galera). {@code SET TRANSACTION} without {@code SESSION} applies to
 * the next transaction only, so nothing needs restoring afterwards. With MariaDB Connector/J on a
 * MariaDB server, a transaction at an explicit isolation starts in one statement instead
 * ({@link #beginFromAutocommit}).
 */
public final class MariaDbDialect implements Dialect {
    private static volatile Method threadId;
    /** MariaDB Connector/J's connection class, once seen; {@link #beginFromAutocommit} needs that driver. */
    private static volatile Class<?> connectorJ;
    /** False once a server did not know {@code tx_isolation} (MySQL 8): the two-statement start from then on. */
    private volatile boolean sessionIsolation = true;
    private final GaleraAborts galera = new GaleraAborts();

    /** A new instance; {@link Dialects#MARIADB} is the shared one. */
    public MariaDbDialect() {
    }

    @Override
    public String name() {
        return "MariaDB";
    }

    @Override
    public boolean releasesLocksBeforeDurableCommit() {
        return true; // InnoDB ends row locks when it processes COMMIT, before it flushes the log
    }

    @Override
    public boolean readsWaitForWrites(Isolation isolation) {
        return isolation == Isolation.SERIALIZABLE; // InnoDB reads LOCK IN SHARE MODE there
    }

    @Override
    public boolean supports(Isolation isolation) {
        return true;
    }

    @Override
    public Runnable begin(Connection connection, TxOptions options) throws SQLException {
        String sql = PostgresDialect.setTransaction(options);
        if (sql != null) {
            try (java.sql.Statement st = connection.createStatement()) {
                st.execute(sql);
            }
        }
        return null;
    }

    /**
     * One statement, {@code SET @txkit_isolation = @@SESSION.tx_isolation, autocommit = 0, tx_isolation = …},
     * where {@code setAutoCommit(false)} and {@code SET TRANSACTION ISOLATION LEVEL …} would be two. Afterwards
     * {@code SET autocommit = 1, tx_isolation = @txkit_isolation} puts both back, also in one. A transaction at
     * an explicit isolation then sends as many statements as hand-written code that only switches autocommit
     * (for txkit's default SERIALIZABLE: one less than before, which on a busy server is a sixth of a short
     * transaction's round trips).
     *
     * <p>Only for read-write transactions at an explicit isolation, on MariaDB Connector/J, whose
     * {@code getAutoCommit()}, {@code setAutoCommit}, {@code commit()} and {@code rollback()} follow the
     * server's status flags, so the driver sees autocommit off, and commit and rollback are sent as usual.
     * A pool (HikariCP) that tracks autocommit itself sees no change to reset. If putting the session back
     * fails, the connection is aborted rather than reused at the wrong isolation.
     */
    @Override
    public Runnable beginFromAutocommit(Connection connection, TxOptions options) throws SQLException {
        Isolation isolation = options.isolation();
        if (isolation == null || options.readOnly() || !sessionIsolation || !connectorJ(connection)) {
            return null;
        }
        try (Statement st = connection.createStatement()) {
            st.execute("SET @txkit_isolation = @@SESSION.tx_isolation, autocommit = 0, tx_isolation = '"
                    + isolation.name().replace('_', '-') + "'");
        } catch (SQLException e) {
            if (e.getErrorCode() != 1193) { // 1193: unknown system variable (MySQL 8 calls it transaction_isolation)
                throw e;
            }
            sessionIsolation = false;
            return null;
        }
        return () -> restoreSession(connection);
    }

    private static void restoreSession(Connection connection) {
        try (Statement st = connection.createStatement()) {
            st.execute("SET autocommit = 1, tx_isolation = @txkit_isolation");
        } catch (SQLException | RuntimeException e) {
            try {
                connection.abort(Runnable::run); // never back into the pool at the transaction's isolation
            } catch (SQLException | RuntimeException a) {
                e.addSuppressed(a);
            }
            throw new IllegalStateException("restoring autocommit and the session's isolation failed;"
                    + " the connection was aborted", e);
        }
    }

    /**
     * With MariaDB Connector/J: its {@code setAutoCommit} sends {@code set autocommit}, and its {@code commit} and
     * {@code rollback} send nothing while the server reports no transaction open.
     */
    @Override
    public boolean defersStart(Connection connection) {
        return connectorJ(connection);
    }

    private static boolean connectorJ(Connection connection) {
        try {
            Class<?> maria = connectorJ;
            if (maria == null) {
                try {
                    maria = Class.forName("org.mariadb.jdbc.Connection", false, connection.getClass().getClassLoader());
                } catch (ClassNotFoundException | LinkageError e) {
                    maria = Void.class; // not on this class path: no connection is one of its
                }
                connectorJ = maria;
            }
            return maria != Void.class && connection.isWrapperFor(maria);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public ErrorCode classify(SQLException failure, boolean atCommit) {
        return SqlStates.classify(failure, atCommit, MariaDbDialect::lookup);
    }

    /** On a Galera node, a 1213 that InnoDB's deadlock detector did not produce is a certification conflict. */
    @Override
    public ErrorCode refine(Connection connection, SQLException failure, ErrorCode code) {
        return galera.refine(connection, code);
    }

    static ErrorCode lookup(SQLException e, String state, int vendor, boolean atCommit) {
        if ("25S03".equals(state)) {
            // Connector/J after a multi-host failover mid-transaction: the transaction is gone
            // (rolled back on the lost node), the new connection is usable.
            return SqlStates.connectionLost(atCommit);
        }
        switch (vendor) {
            case 1213: // deadlock; at COMMIT on Galera it is a certification failure (a write conflict)
                return atCommit ? ErrorCode.CONFLICT : ErrorCode.DEADLOCK;
            case 1205: // lock wait timeout: only the statement was rolled back
            case 3572: // MySQL 8 ER_LOCK_NOWAIT (MariaDB reports a NOWAIT miss as 1205)
                return ErrorCode.LOCK_TIMEOUT;
            case 1020: // record changed since last read (innodb_snapshot_isolation=ON)
            case 1181: // got error during ROLLBACK after a certification conflict
                return ErrorCode.CONFLICT;
            case 1047: // WSREP has not yet prepared node for application use
            case 1180: // error during COMMIT; on Galera "Not connected to Primary Component": the node lost
                       // the cluster while replicating, so whether the write set reached it is not known
            case 1927: // connection was killed
            case 2013: // lost connection during query
            case 2006: // server has gone away
                return SqlStates.connectionLost(atCommit);
            case 1062:
            case 1586:
                return ErrorCode.UNIQUE_VIOLATION;
            case 1451:
            case 1452:
            case 1048:
            case 1216:
            case 1217:
            case 3819:
            case 4025:
                return ErrorCode.CONSTRAINT_VIOLATION;
            case 1792:
                return ErrorCode.READ_ONLY_VIOLATION;
            case 1317: // query execution was interrupted: KILL QUERY from another session
                return ErrorCode.CANCELLED;
            case 1969: // max_statement_time exceeded
            case 3024:
                return ErrorCode.TIMEOUT;
            default:
                return null;
        }
    }

    @Override
    public String quote(String identifier) {
        return '`' + identifier + '`';
    }

    @Override
    public String upsert(String table, List<String> columns, String key, String version) {
        return Upserts.onDuplicateKey(table, columns, key, version);
    }

    /** Connector/J reports LAST_INSERT_ID() whatever column names are asked for. */
    @Override
    public PreparedStatement prepareInsert(Connection connection, String sql, String keyColumn)
            throws SQLException {
        return connection.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS);
    }

    @Override
    public long sessionId(Connection connection) {
        try {
            Class<?> maria = Class.forName("org.mariadb.jdbc.Connection", false, connection.getClass().getClassLoader());
            if (!connection.isWrapperFor(maria)) {
                return -1;
            }
            Method m = threadId;
            if (m == null) {
                m = maria.getMethod("getThreadId");
                threadId = m;
            }
            return ((Number) m.invoke(connection.unwrap(maria))).longValue();
        } catch (ReflectiveOperationException | SQLException | LinkageError e) {
            return -1;
        }
    }

    /** Maps InnoDB transaction ids to connection thread ids, one query for all waiters. */
    @Override
    public String blockingSessionsQuery(String sessionIds) {
        return "SELECT r.trx_mysql_thread_id, b.trx_mysql_thread_id"
                + " FROM information_schema.INNODB_LOCK_WAITS lw"
                + " JOIN information_schema.INNODB_TRX r ON r.trx_id = lw.requesting_trx_id"
                + " JOIN information_schema.INNODB_TRX b ON b.trx_id = lw.blocking_trx_id"
                + " WHERE r.trx_mysql_thread_id IN (" + sessionIds + ")";
    }

    /** PROCESSLIST is live where INNODB_* is a cache: a waiter that is idle now is a stale row. */
    @Override
    public String lockWaitsQuery(String holders, String waiters) {
        return "SELECT r.trx_mysql_thread_id, b.trx_mysql_thread_id, p.HOST, 0, p.TIME_MS"
                + " FROM information_schema.INNODB_LOCK_WAITS lw"
                + " JOIN information_schema.INNODB_TRX r ON r.trx_id = lw.requesting_trx_id"
                + " JOIN information_schema.INNODB_TRX b ON b.trx_id = lw.blocking_trx_id"
                + " LEFT JOIN information_schema.PROCESSLIST p ON p.ID = r.trx_mysql_thread_id"
                + " WHERE (p.COMMAND IS NULL OR p.COMMAND <> 'Sleep')"
                + " AND (b.trx_mysql_thread_id IN (" + (holders.isEmpty() ? "-1" : holders) + ")"
                + " OR r.trx_mysql_thread_id IN (" + (waiters.isEmpty() ? "-1" : waiters) + "))";
    }

    @Override
    public String cancelStatement(long session) {
        return "KILL QUERY " + session;
    }

    /**
     * MariaDB serves its {@code INNODB_*} lock tables from a server-wide cache that is refreshed only
     * when nobody has read it for 100 ms: a client that reads them more often keeps seeing the same
     * stale picture, so reads are spaced a little more than that apart.
     */
    @Override
    public java.time.Duration blockingSessionsSpacing() {
        return java.time.Duration.ofMillis(120);
    }

    /** {@code INSERT IGNORE}: a duplicate key becomes a warning and 0 rows. */
    @Override
    public String insertIfAbsent(String table, String columns, String values, String key) {
        return "INSERT IGNORE INTO " + table + " " + columns + " VALUES " + values;
    }

    /** At REPEATABLE READ a plain read shows the snapshot; a shared locking read sees the committed row. */
    @Override
    public String latestCommittedReadClause() {
        return " LOCK IN SHARE MODE";
    }

    /** Keys compare exactly: a binary collation, as MariaDB's default one ignores case. */
    @Override
    public List<String> idempotencyTableDdl(String table) {
        return List.of("CREATE TABLE IF NOT EXISTS " + table + " ("
                + "idem_key VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL PRIMARY KEY, "
                + "fingerprint CHAR(64) NOT NULL, result MEDIUMTEXT, created_at BIGINT NOT NULL, "
                + "expires_at BIGINT NOT NULL, INDEX " + table + "_expires (expires_at)) ENGINE=InnoDB");
    }
}
