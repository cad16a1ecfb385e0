package dev.txkit.it.issues;

import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.it.DbIT;
import dev.txkit.retry.RetryPolicy;
import dev.txkit.testing.DbKind;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Issue 15 "also": a statement cancelled from outside (pg_cancel_backend, MariaDB KILL QUERY) before
 * txkit's deadline is CANCELLED, not TIMEOUT, and says so.
 */
class Issue15CancelIT extends DbIT {
    private static final TxOptions LONG = TxOptions.defaults().withTimeout(Duration.ofSeconds(30)).withRetry(RetryPolicy.none());

    @Test
    void pgCancelBackendIsCancelledNotATimeout() throws Exception {
        Database db = db(DbKind.POSTGRES);
        CompletableFuture<Object> sleeping = CompletableFuture.supplyAsync(
                () -> db.inTransaction(LONG, tx -> tx.sql("SELECT pg_sleep(20)").list(Object.class)));
        try (Connection admin = schema(DbKind.POSTGRES).unpooledDataSource().getConnection()) {
            cancelWhenRunning(admin, "SELECT pid FROM pg_stat_activity"
                    + " WHERE state = 'active' AND query = 'SELECT pg_sleep(20)'");
        }
        assertCancelled(sleeping, "57014", 0);
    }

    @Test
    void mariaDbKillQueryIs1317AndCancelled() throws Exception {
        schema(DbKind.MARIADB).execute("DROP TABLE IF EXISTS item", "CREATE TABLE item (id INT PRIMARY KEY)",
                "INSERT INTO item VALUES (1)");
        Database db = db(DbKind.MARIADB);
        try (Connection holder = schema(DbKind.MARIADB).unpooledDataSource().getConnection();
             Statement hold = holder.createStatement()) {
            holder.setAutoCommit(false);
            hold.executeQuery("SELECT id FROM item WHERE id = 1 FOR UPDATE").close();
            CompletableFuture<Object> waiting = CompletableFuture.supplyAsync(() -> db.inTransaction(LONG,
                    tx -> tx.sql("SELECT id FROM item WHERE id = 1 FOR UPDATE").list(Object.class)));
            try (Connection admin = schema(DbKind.MARIADB).unpooledDataSource().getConnection()) {
                cancelWhenRunning(admin, "SELECT id FROM information_schema.processlist"
                        + " WHERE info = 'SELECT id FROM item WHERE id = 1 FOR UPDATE' AND id <> CONNECTION_ID()");
            }
            assertCancelled(waiting, null, 1317);
            holder.rollback();
        }
    }

    /** Polls for the statement's session id and cancels it there (pg_cancel_backend or KILL QUERY). */
    private static void cancelWhenRunning(Connection admin, String query) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try (Statement st = admin.createStatement()) {
            while (System.nanoTime() < deadline) {
                Long id = null;
                try (ResultSet rs = st.executeQuery(query)) {
                    if (rs.next()) {
                        id = rs.getLong(1);
                    }
                }
                if (id != null) {
                    st.execute(query.contains("processlist") ? "KILL QUERY " + id : "SELECT pg_cancel_backend(" + id + ")");
                    return;
                }
            }
        }
        throw new AssertionError("the statement never showed up on the server");
    }

    private static void assertCancelled(CompletableFuture<Object> running, String sqlState, int vendor) {
        Throwable t = catchThrowable(() -> running.get(10, TimeUnit.SECONDS));
        assertThat(t).isInstanceOf(ExecutionException.class);
        assertThat(t.getCause()).isInstanceOfSatisfying(TxkitException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CANCELLED);
            assertThat(e.getMessage()).contains("cancelled from outside txkit").doesNotContainIgnoringCase("past its timeout");
            if (sqlState != null) {
                assertThat(e.sqlState()).isEqualTo(sqlState);
            }
            if (vendor != 0) {
                assertThat(e.vendorCode()).isEqualTo(vendor);
            }
        });
    }
}
