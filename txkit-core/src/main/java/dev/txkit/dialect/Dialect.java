package dev.txkit.dialect;

import dev.txkit.ErrorCode;
import dev.txkit.Isolation;
import dev.txkit.TxOptions;

import dev.txkit.TxkitException;
import dev.txkit.table.RowLock;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * What txkit needs to know about one database product: which isolation levels it has, how to
 * start a transaction with given options without changing session state, and how to classify its
 * errors. Implementations are stateless and thread-safe.
 */
public interface Dialect {

    /** A short product name, e.g. {@code PostgreSQL}. */
    String name();

    /** Whether the database runs transactions at {@code isolation}. */
    boolean supports(Isolation isolation);

    /**
     * Applies isolation and read-only for the transaction about to start on {@code connection}
     * (autocommit already off). Sends nothing when both are defaults. Returns the work that puts
     * the session back as it was after the transaction, or {@code null} when nothing was changed
     * at session level.
     */
    Runnable begin(Connection connection, TxOptions options) throws SQLException;

    /**
     * Classifies a failure. {@code atCommit} is true when it was raised by COMMIT, where a lost
     * connection means the outcome is unknown. Returns {@link ErrorCode#SQL_ERROR} when nothing
     * more specific applies.
     */
    ErrorCode classify(SQLException failure, boolean atCommit);

    /**
     * A second look at a statement failure, with the connection it happened on, for the rare case
     * where the code alone cannot tell two causes apart (a Galera certification abort and an InnoDB
     * deadlock both arrive as 1213). Called only after a failure, never on the happy path; must not
     * throw. The default keeps {@code code}.
     */
    default ErrorCode refine(java.sql.Connection connection, SQLException failure, ErrorCode code) {
        return code;
    }

    /**
     * Whether an error of this code leaves the transaction usable. PostgreSQL aborts the whole
     * transaction on any error; MariaDB's lock wait timeout rolls back only the statement, which is
     * why txkit rolls back the whole transaction itself for retryable codes.
     */
    default boolean abortsTransaction(ErrorCode code) {
        return code.retryable() || code == ErrorCode.TIMEOUT || code == ErrorCode.CANCELLED
                || code == ErrorCode.CONNECTION_FAILURE
                || code == ErrorCode.COMMIT_UNKNOWN;
    }

    /**
     * Whether row locks end when COMMIT is processed, before the commit is durable (InnoDB releases them
     * before the log flush; PostgreSQL only once the commit record is flushed). Then a transaction that
     * waits for such a lock sees the committed row as soon as the lock ends, and txkit's admission lets
     * the next SERIALIZABLE transaction of a hot key start while the previous COMMIT is on its way (its
     * reads lock there, so they wait for that commit; a snapshot read could read past it). Default false.
     */
    default boolean releasesLocksBeforeDurableCommit() {
        return false;
    }

    /** Quotes a validated identifier (table or column name). */
    String quote(String identifier);

    // ---- SQL for dev.txkit.table ---------------------------------------------------------------

    /**
     * Quotes a validated name with the case the database gives the same name written without quotes
     * (PostgreSQL folds to lower case, H2 to upper case), so names from records match tables created
     * by unquoted DDL while keywords such as {@code user} or {@code order} still work as names.
     */
    default String quoteAsStored(String identifier) {
        return quote(identifier);
    }

    /** Whether {@code SELECT … FOR UPDATE} locks rows on this database. */
    default boolean supportsRowLocks() {
        return true;
    }

    /** The clause appended to a SELECT to lock the rows it returns, with a leading space. */
    default String lockClause(RowLock mode) {
        switch (mode) {
            case NOWAIT:
                return " FOR UPDATE NOWAIT";
            case SKIP_LOCKED:
                return " FOR UPDATE SKIP LOCKED";
            default:
                return " FOR UPDATE";
        }
    }

    /**
     * An INSERT of {@code columns} (quoted, one {@code ?} each, in order) that instead updates the
     * existing row when {@code key} matches: every column except the key and {@code version}, which
     * becomes version + 1 ({@code version} is {@code null} when the table has none).
     */
    default String upsert(String table, List<String> columns, String key, String version) {
        throw TxkitException.of(ErrorCode.UNSUPPORTED, name() + ": txkit knows no upsert syntax"
                + " for this database; use find + insert/update in a transaction");
    }

    /**
     * Prepares an INSERT whose generated key column {@code keyColumn} (as stored, unquoted) can be read
     * with {@link PreparedStatement#getGeneratedKeys()} afterwards.
     */
    default PreparedStatement prepareInsert(Connection connection, String sql, String keyColumn) throws SQLException {
        return connection.prepareStatement(sql, new String[]{keyColumn});
    }

    /**
     * The server's id of the session behind {@code connection} (PostgreSQL backend pid, MariaDB
     * thread id), read from the driver without a round trip; {@code -1} when unknown.
     */
    default long sessionId(Connection connection) {
        return -1;
    }

    // ---- what the rest of txkit asks of the database ------------------------------------------

    /**
     * Whether a {@link java.util.UUID} is bound as itself ({@code setObject}) rather than as its text.
     * {@code db.sql} and {@code db.table} both ask this, so they bind the same way. Default {@code false}.
     */
    default boolean bindsUuidNatively() {
        return false;
    }

    /**
     * A query returning, for each waiting session of {@code sessionIds} (a comma-separated list of
     * numbers from {@link #sessionId}), one row per session that blocks it: waiter id, blocker id. The
     * self-deadlock detector runs it on a connection outside the pool. {@code null} (the default) when
     * the database offers no such view; the detector is then off.
     */
    default String blockingSessionsQuery(String sessionIds) {
        return null;
    }

    /**
     * A query returning the lock waits on the sessions {@code holders} and those of the sessions
     * {@code waiters} (comma-separated ids, either may be empty), one row each: waiter id, blocker id,
     * the waiter's client host, its client port (0 when the host column carries {@code host:port}),
     * how long it has waited in milliseconds. {@code null} (the default) when there is no such view:
     * the self-deadlock detector then sees only what txkit routed.
     */
    default String lockWaitsQuery(String holders, String waiters) {
        return null;
    }

    /** A statement that cancels the running statement of session {@code session}, or {@code null}. */
    default String cancelStatement(long session) {
        return null;
    }

    /**
     * The least time between two {@link #blockingSessionsQuery} reads, for servers whose lock view
     * is a cache that only refreshes when nobody reads it for a while. Default zero.
     */
    default java.time.Duration blockingSessionsSpacing() {
        return java.time.Duration.ZERO;
    }

    /** Statements that label the detector's diagnostic session for the database's activity views. Default none. */
    default List<String> diagnosticSessionSetup() {
        return List.of();
    }

    /**
     * Driver properties of a pool txkit builds itself ({@code Database.connect}), e.g. to keep bound
     * values out of server error messages. Default none.
     */
    default java.util.Map<String, String> pooledDriverProperties() {
        return java.util.Map.of();
    }

    /**
     * {@code INSERT INTO table (columns) VALUES (values)} that does nothing, and counts 0 rows, when a
     * row with the same {@code key} exists; {@code null} (the default) when the database has no such
     * syntax, in which case txkit inserts under a savepoint and treats a unique violation as "exists".
     */
    default String insertIfAbsent(String table, String columns, String values, String key) {
        return null;
    }

    /**
     * The clause (with a leading space, or empty) that makes a SELECT inside a transaction read the
     * latest committed row instead of the transaction's snapshot, without blocking other readers.
     * Default empty: the plain read already does at txkit's default isolation.
     */
    default String latestCommittedReadClause() {
        return "";
    }

    /**
     * The DDL of txkit's idempotency-key table {@code table} (documented in the README), run once in
     * autocommit; every statement must be idempotent ({@code IF NOT EXISTS}).
     */
    default List<String> idempotencyTableDdl(String table) {
        return List.of("CREATE TABLE IF NOT EXISTS " + table + " (idem_key VARCHAR(255) NOT NULL PRIMARY KEY, "
                        + "fingerprint CHAR(64) NOT NULL, result TEXT, created_at BIGINT NOT NULL, "
                        + "expires_at BIGINT NOT NULL)",
                "CREATE INDEX IF NOT EXISTS " + table + "_expires ON " + table + " (expires_at)");
    }
}
