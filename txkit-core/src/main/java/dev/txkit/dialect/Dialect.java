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

    /** {@return a short product name for messages, e.g. {@code PostgreSQL}} */
    String name();

    /**
     * Whether the database runs transactions at {@code isolation}; txkit fails with
     * {@link ErrorCode#UNSUPPORTED} before anything runs when it does not.
     *
     * @param isolation the requested level, never {@code null}
     * @return whether the level is available
     */
    boolean supports(Isolation isolation);

    /**
     * Applies isolation and read-only for the transaction about to start on {@code connection}
     * (autocommit already off). Sends nothing when both are defaults.
     *
     * @param connection the transaction's connection, autocommit off
     * @param options the transaction's options (isolation, read-only)
     * @return the work that puts the session back as it was after the transaction, or {@code null}
     *         when nothing was changed at session level
     * @throws SQLException when the database refuses the settings; txkit classifies it like any other failure
     */
    Runnable begin(Connection connection, TxOptions options) throws SQLException;

    /**
     * Starts the transaction on a connection still in autocommit mode in one statement: autocommit off
     * and the options together, where the database and its driver allow it, saving the round trip
     * {@code setAutoCommit(false)} would cost. Then txkit neither switches autocommit off through JDBC
     * nor calls {@link #begin}. The work returned must put everything back in one go, autocommit on
     * included, after the transaction has ended (committed or rolled back); if it cannot, it must make
     * sure the connection is not reused as it is. Default: {@code null}, nothing sent.
     *
     * @param connection the transaction's connection, autocommit on
     * @param options the transaction's options (isolation, read-only)
     * @return the work that puts the session back, or {@code null} when the dialect sent nothing
     * @throws SQLException when the database refuses the settings; txkit classifies it like any other failure
     */
    default Runnable beginFromAutocommit(Connection connection, TxOptions options) throws SQLException {
        return null;
    }

    /**
     * Classifies a failure. {@code atCommit} is true when it was raised by COMMIT, where a lost
     * connection means the outcome is unknown.
     *
     * @param failure the driver's exception (the first of its chain that carries a SQLSTATE)
     * @param atCommit whether COMMIT raised it
     * @return the code; {@link ErrorCode#SQL_ERROR} when nothing more specific applies
     */
    ErrorCode classify(SQLException failure, boolean atCommit);

    /**
     * A second look at a statement failure, with the connection it happened on, for the rare case
     * where the code alone cannot tell two causes apart (a Galera certification abort and an InnoDB
     * deadlock both arrive as 1213). Called only after a failure, never on the happy path; must not
     * throw. The default keeps {@code code}.
     *
     * @param connection the connection the statement failed on, still open
     * @param failure the driver's exception
     * @param code what {@link #classify} said
     * @return the code to use
     */
    default ErrorCode refine(java.sql.Connection connection, SQLException failure, ErrorCode code) {
        return code;
    }

    /**
     * Whether an error of this code leaves the transaction usable. PostgreSQL aborts the whole
     * transaction on any error; MariaDB's lock wait timeout rolls back only the statement, which is
     * why txkit rolls back the whole transaction itself for retryable codes.
     *
     * @param code the failure's code
     * @return {@code true} when txkit must treat the transaction as over and roll it back
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
     *
     * @return whether a lock waiter can start before the holder's commit is durable
     */
    default boolean releasesLocksBeforeDurableCommit() {
        return false;
    }

    /**
     * Whether {@link #begin} may be sent just before the transaction's first statement instead of at once:
     * nothing it sets is seen before a statement runs, it needs nothing restored, and a transaction that has
     * sent nothing ends without a round trip (PgJDBC opens the transaction with its first statement). txkit
     * defers it for the attempts of a hot call site, which may end at their first statement to wait for
     * their row's turn and start again. Default false.
     *
     * @return whether {@link #begin} can wait for the first statement
     */
    default boolean defersBegin() {
        return false;
    }

    /**
     * Whether the whole start of a transaction — leaving autocommit ({@link #beginFromAutocommit} or
     * {@code setAutoCommit(false)} and {@link #begin}) — may wait for its first statement on {@code connection}:
     * the driver sends the switch as a statement of its own, and commits and rolls back a connection that has
     * nothing open (still in autocommit) without a round trip. Used like {@link #defersBegin}, for the attempts
     * of a hot call site, so one that ends at its first statement has sent nothing at all. Default false.
     *
     * @param connection the connection the transaction starts on
     * @return whether leaving autocommit can wait for the first statement
     */
    default boolean defersStart(Connection connection) {
        return false;
    }

    /**
     * Whether every read of a transaction at {@code isolation} is a locking read that waits for a row lock
     * held by an uncommitted write and then reads the committed row (MariaDB's SERIALIZABLE, which reads
     * {@code LOCK IN SHARE MODE}). Then admission can let the next attempt of a hot key in as soon as this
     * one's first write has returned: the next one's first read queues in the server behind that write's
     * lock instead of in the client, and starts the moment the lock ends. Default false (PostgreSQL's
     * SERIALIZABLE reads a snapshot and fails such a read-modify-write at its write instead).
     *
     * @param isolation the transaction's isolation, {@code null} for the database default
     * @return whether reads at {@code isolation} wait for uncommitted writes and then see them committed
     */
    default boolean readsWaitForWrites(Isolation isolation) {
        return false;
    }

    /**
     * Quotes a validated identifier (table or column name).
     *
     * @param identifier a name already checked to be a plain identifier
     * @return the name in this database's identifier quotes
     */
    String quote(String identifier);

    // ---- SQL for dev.txkit.table ---------------------------------------------------------------

    /**
     * Quotes a validated name with the case the database gives the same name written without quotes
     * (PostgreSQL folds to lower case, H2 to upper case), so names from records match tables created
     * by unquoted DDL while keywords such as {@code user} or {@code order} still work as names.
     *
     * @param identifier a name already checked to be a plain identifier
     * @return the name quoted, in the case the database stores it
     */
    default String quoteAsStored(String identifier) {
        return quote(identifier);
    }

    /** {@return whether {@code SELECT … FOR UPDATE} locks rows on this database} */
    default boolean supportsRowLocks() {
        return true;
    }

    /**
     * The clause appended to a SELECT to lock the rows it returns.
     *
     * @param mode how to wait for rows other transactions hold
     * @return the clause with a leading space, e.g. {@code " FOR UPDATE NOWAIT"}
     */
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
     * becomes version + 1.
     *
     * @param table the quoted table name
     * @param columns the quoted column names, in the order of the placeholders
     * @param key the quoted key column
     * @param version the quoted version column, or {@code null} when the table has none
     * @return the statement
     * @throws TxkitException {@link ErrorCode#UNSUPPORTED} (the default) when the database has no upsert syntax
     */
    default String upsert(String table, List<String> columns, String key, String version) {
        throw TxkitException.of(ErrorCode.UNSUPPORTED, name() + ": txkit knows no upsert syntax"
                + " for this database; use find + insert/update in a transaction");
    }

    /**
     * Prepares an INSERT whose generated key column {@code keyColumn} (as stored, unquoted) can be read
     * with {@link PreparedStatement#getGeneratedKeys()} afterwards.
     *
     * @param connection the connection to prepare on
     * @param sql the INSERT
     * @param keyColumn the generated key column, as stored (unquoted)
     * @return the prepared statement; the caller closes it
     * @throws SQLException as thrown by the driver
     */
    default PreparedStatement prepareInsert(Connection connection, String sql, String keyColumn) throws SQLException {
        return connection.prepareStatement(sql, new String[]{keyColumn});
    }

    /**
     * The server's id of the session behind {@code connection} (PostgreSQL backend pid, MariaDB
     * thread id), read from the driver without a round trip.
     *
     * @param connection a connection of this database (possibly a pool's proxy)
     * @return the session id, or {@code -1} when unknown
     */
    default long sessionId(Connection connection) {
        return -1;
    }

    // ---- what the rest of txkit asks of the database ------------------------------------------

    /**
     * Whether a {@link java.util.UUID} is bound as itself ({@code setObject}) rather than as its text.
     * {@code db.sql} and {@code db.table} both ask this, so they bind the same way.
     *
     * @return {@code true} to bind UUIDs natively; default {@code false}
     */
    default boolean bindsUuidNatively() {
        return false;
    }

    /**
     * A query returning, for each waiting session of {@code sessionIds} (a comma-separated list of
     * numbers from {@link #sessionId}), one row per session that blocks it: waiter id, blocker id. The
     * self-deadlock detector runs it on a connection outside the pool. {@code null} (the default) when
     * the database offers no such view; the detector is then off.
     *
     * @param sessionIds the waiting sessions' ids, comma-separated
     * @return the query, or {@code null}
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
     *
     * @param holders ids of sessions that may hold locks, comma-separated, or empty
     * @param waiters ids of sessions that may wait, comma-separated, or empty
     * @return the query, or {@code null}
     */
    default String lockWaitsQuery(String holders, String waiters) {
        return null;
    }

    /**
     * A statement that cancels the running statement of another session.
     *
     * @param session the session's id (see {@link #sessionId})
     * @return the statement, or {@code null} (the default) when there is none
     */
    default String cancelStatement(long session) {
        return null;
    }

    /**
     * The least time between two {@link #blockingSessionsQuery} reads, for servers whose lock view
     * is a cache that only refreshes when nobody reads it for a while.
     *
     * @return the spacing; default zero
     */
    default java.time.Duration blockingSessionsSpacing() {
        return java.time.Duration.ZERO;
    }

    /** {@return statements that label the detector's diagnostic session for the database's activity views; default none} */
    default List<String> diagnosticSessionSetup() {
        return List.of();
    }

    /**
     * Driver properties of a pool txkit builds itself ({@code Database.connect}), e.g. to keep bound
     * values out of server error messages.
     *
     * @return the properties; default none
     */
    default java.util.Map<String, String> pooledDriverProperties() {
        return java.util.Map.of();
    }

    /**
     * {@code INSERT INTO table (columns) VALUES (values)} that does nothing, and counts 0 rows, when a
     * row with the same {@code key} exists; {@code null} (the default) when the database has no such
     * syntax, in which case txkit inserts under a savepoint and treats a unique violation as "exists".
     *
     * @param table the quoted table name
     * @param columns the quoted column list, comma-separated
     * @param values the values list, e.g. {@code ?, ?, ?}
     * @param key the quoted key column
     * @return the statement, or {@code null}
     */
    default String insertIfAbsent(String table, String columns, String values, String key) {
        return null;
    }

    /**
     * The clause (with a leading space, or empty) that makes a SELECT inside a transaction read the
     * latest committed row instead of the transaction's snapshot, without blocking other readers.
     *
     * @return the clause; default empty: the plain read already does at txkit's default isolation
     */
    default String latestCommittedReadClause() {
        return "";
    }

    /**
     * The DDL of txkit's idempotency-key table {@code table} (documented in the README), run once in
     * autocommit; every statement must be idempotent ({@code IF NOT EXISTS}).
     *
     * @param table the table's name
     * @return the statements, in order
     */
    default List<String> idempotencyTableDdl(String table) {
        return List.of("CREATE TABLE IF NOT EXISTS " + table + " (idem_key VARCHAR(255) NOT NULL PRIMARY KEY, "
                        + "fingerprint CHAR(64) NOT NULL, result TEXT, created_at BIGINT NOT NULL, "
                        + "expires_at BIGINT NOT NULL)",
                "CREATE INDEX IF NOT EXISTS " + table + "_expires ON " + table + " (expires_at)");
    }
}
