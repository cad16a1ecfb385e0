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
 * view every 10 ms; fails after 5 s.
 */
final class LockWaits {
    private LockWaits() {
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
                    throw new AssertionError(count + " session(s) running '" + marker + "' never waited for a lock");
                }
                Thread.sleep(10); // polling the server; a sleeping thread is not taken for a stuck one
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
