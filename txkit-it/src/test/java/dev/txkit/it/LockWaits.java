package dev.txkit.it;

import dev.txkit.testing.DbKind;
import dev.txkit.testing.TestDatabase;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Test helper: waits until the server reports that {@code count} sessions wait for a lock while
 * running a statement that contains {@code marker} (a comment put into the test's SQL, so that
 * tests of other classes running at the same time are not counted). Polls the server's own lock
 * view (every 10 ms on PostgreSQL, 150 ms on MariaDB, whose lock tables are a cache that reading
 * more often than every 100 ms keeps stale); fails after 5 s. The waiting thread sleeps between
 * polls, so the self-deadlock detector does not take it for stuck.
 */
final class LockWaits {
    private LockWaits() {
    }

    private static String sessions(Statement st, DbKind kind) throws SQLException {
        String sql = kind == DbKind.POSTGRES
                ? "SELECT pid, state, wait_event_type, wait_event, query FROM pg_stat_activity WHERE datname = current_database()"
                : "SELECT id, command, state, info FROM information_schema.PROCESSLIST";
        StringBuilder out = new StringBuilder();
        try (ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                out.append("\n  ");
                for (int i = 1; i <= n; i++) {
                    out.append(rs.getString(i)).append(i < n ? " | " : "");
                }
            }
        }
        return out.toString();
    }

    static void awaitBlocked(TestDatabase schema, String marker, int count) {
        String sql = schema.kind() == DbKind.POSTGRES
                ? "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%" + marker + "%'"
                : "SELECT count(*) FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'"
                + " AND trx_query LIKE '%" + marker + "%'";
        long deadline = System.nanoTime() + 5_000_000_000L;
        try (Connection c = schema.unpooledDataSource().getConnection(); Statement st = c.createStatement()) {
            while (true) {
                try (ResultSet rs = st.executeQuery(sql)) {
                    rs.next();
                    if (rs.getInt(1) >= count) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(count + " session(s) running '" + marker + "' never waited for a lock;"
                            + " sessions: " + sessions(st, schema.kind()));
                }
                // MariaDB refreshes its INNODB_* tables only when nobody read them for 100 ms: poll slower than that
                Thread.sleep(schema.kind() == DbKind.MARIADB ? 150 : 10);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
