package dev.txkit.internal.tx;

import dev.txkit.Isolation;
import dev.txkit.TxOptions;
import dev.txkit.dialect.Dialect;
import dev.txkit.dialect.MariaDbDialect;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Makes REPEATABLE READ on MariaDB mean what it means on PostgreSQL (issue 15). With the server's
 * default {@code innodb_snapshot_isolation=OFF}, a read-modify-write that races another commit
 * overwrites it silently (a lost update, no error); with it ON the stale write fails with 1020,
 * which txkit classifies as CONFLICT and retries. REPEATABLE READ is MariaDB's default, so this
 * applies to explicit REPEATABLE_READ and to the database default alike.
 *
 * <p>Cost: the first such transaction of a Database asks the server once whether its sessions
 * already run with it ({@code SELECT @@SESSION.innodb_snapshot_isolation}); if they do, nothing more
 * is ever sent. Otherwise each physical connection gets one {@code SET SESSION
 * innodb_snapshot_isolation = ON} before its first such transaction — not one per transaction —
 * and keeps it: other code that later borrows that pooled connection sees the stricter setting
 * (stale writes fail with 1020 instead of overwriting). Connections are told apart through
 * {@code unwrap(Connection.class)}, which pools answer with the physical connection. Servers without
 * the variable (MariaDB before 10.6.18, MySQL) are left alone. Thread-safe.
 */
public final class SnapshotIsolation {
    private static final System.Logger LOG = System.getLogger("dev.txkit");
    private static final Object SEEN = new Object();

    /** null: not asked yet; TRUE: the pool's sessions already have it (or cannot have it); FALSE: set per connection. */
    private volatile Boolean settled;
    /** Whether the server knows the variable (so SET STATEMENT may name it). */
    private volatile boolean known;
    private final Map<Object, Object> prepared = Collections.synchronizedMap(new WeakHashMap<>());

    /** Called on a connection in autocommit mode, before a transaction with {@code options} begins on it. */
    public void prepare(Connection c, Dialect dialect, TxOptions options) throws SQLException {
        if (!(dialect instanceof MariaDbDialect) || Boolean.TRUE.equals(settled)) {
            return;
        }
        if (options.isolation() == Isolation.SERIALIZABLE) {
            relax(c);
            return;
        }
        if (options.isolation() != null && options.isolation() != Isolation.REPEATABLE_READ) {
            return;
        }
        Object physical = physical(c);
        if (prepared.containsKey(physical)) {
            return;
        }
        if (settled == null && decide(c)) {
            return;
        }
        try (Statement st = c.createStatement()) {
            st.execute("SET SESSION innodb_snapshot_isolation = ON");
        }
        prepared.put(physical, SEEN);
    }

    /**
     * Turns the setting off again on a connection txkit turned it on for, before a SERIALIZABLE transaction:
     * there every read locks and reads the latest row, so no update can be lost, and with the setting on a
     * read that waited for another transaction's write would fail with 1020 instead of reading its commit.
     * One statement when a connection switches from REPEATABLE READ to SERIALIZABLE; nothing on a
     * connection txkit never set (the server's default is off).
     */
    private void relax(Connection c) throws SQLException {
        if (settled == null || prepared.isEmpty() || prepared.remove(physical(c)) == null) {
            return;
        }
        try (Statement st = c.createStatement()) {
            st.execute("SET SESSION innodb_snapshot_isolation = OFF");
        }
    }

    /** Asks once per Database; true when nothing needs to be sent on any connection. */
    private synchronized boolean decide(Connection c) throws SQLException {
        if (settled != null) {
            return settled;
        }
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT @@SESSION.innodb_snapshot_isolation")) {
            rs.next();
            known = true;
            settled = rs.getInt(1) == 1;
        } catch (SQLException e) {
            if (e.getErrorCode() != 1193) { // 1193: unknown system variable
                throw e;
            }
            LOG.log(System.Logger.Level.WARNING, "txkit: this server has no innodb_snapshot_isolation (MariaDB before"
                    + " 10.6.18, or MySQL); REPEATABLE READ read-modify-writes can lose updates silently here."
                    + " Use SELECT … FOR UPDATE, a @Version column or SERIALIZABLE");
            settled = Boolean.TRUE;
        }
        return settled;
    }

    /**
     * {@code sql} with the setting off for that one statement. For a record table's version-checked
     * UPDATE and the locking read of the current row after it missed: the version check already
     * catches the lost update and must keep reporting it as OPTIMISTIC_CONFLICT (refresh and try
     * again; {@code tryUpdate} hands back the current row) rather than as a 1020 CONFLICT that would
     * roll the whole transaction back.
     */
    public String currentRead(Dialect dialect, String sql) {
        return known && dialect instanceof MariaDbDialect ? "SET STATEMENT innodb_snapshot_isolation = OFF FOR " + sql : sql;
    }

    private static Object physical(Connection c) {
        try {
            Connection inner = c.unwrap(Connection.class);
            return inner == null ? c : inner;
        } catch (SQLException | RuntimeException e) {
            return c;
        }
    }
}
