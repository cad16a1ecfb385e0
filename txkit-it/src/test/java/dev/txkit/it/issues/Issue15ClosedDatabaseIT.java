package dev.txkit.it.issues;

import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.IdempotencyKey;
import dev.txkit.ResultCodec;
import dev.txkit.Transaction;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.it.DbIT;
import dev.txkit.retry.RetryPolicy;
import dev.txkit.testing.DbKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.txkit.it.issues.Issue15.failsWith;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15 item 7: after {@code close()} every use of a Database fails at once with CLOSED, with a
 * borrowed DataSource (which stays open) and with the pool txkit owns; a transaction open at close
 * is rolled back and its running statement cancelled.
 */
class Issue15ClosedDatabaseIT extends DbIT {
    record Item(@dev.txkit.table.Id Integer id, String name) {
    }

    @BeforeEach
    void table() {
        for (DbKind kind : available(DbKind.values())) {
            schema(kind).execute("DROP TABLE IF EXISTS item", "CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(50))",
                    "INSERT INTO item VALUES (1, 'a')");
        }
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void everyUseOfAClosedDatabaseOverABorrowedDataSourceFailsWithClosed(DbKind kind) throws Exception {
        var pool = closeLater(schema(kind).newPool(2));
        Database db = Database.create(pool);
        assertThat(db.sql("SELECT name FROM item WHERE id = 1").one(String.class)).isEqualTo("a");
        db.close();
        assertEveryUseIsClosed(db);
        assertThat(pool.isClosed()).as("a borrowed pool stays open").isFalse();
        assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isZero();
        assertThat(db.sql("SELECT 1").toString()).contains("SELECT 1"); // building a statement sends nothing
        assertThat(schema(kind).unpooledDataSource().getConnection().isValid(2)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB", "H2"})
    void everyUseOfAClosedDatabaseWithItsOwnPoolFailsWithClosedNotAcquireTimeout(DbKind kind) {
        Database db = Database.connect(schema(kind).jdbcUrl(), schema(kind).user(), schema(kind).password());
        assertThat(db.sql("SELECT name FROM item WHERE id = 1").one(String.class)).isEqualTo("a");
        db.close();
        assertEveryUseIsClosed(db);
    }

    private static void assertEveryUseIsClosed(Database db) {
        long start = System.nanoTime();
        failsWith(ErrorCode.CLOSED, () -> db.sql("SELECT name FROM item WHERE id = 1").one(String.class));
        failsWith(ErrorCode.CLOSED, () -> db.sql("UPDATE item SET name = 'b'").update());
        failsWith(ErrorCode.CLOSED, () -> db.inTransaction(tx -> 1));
        failsWith(ErrorCode.CLOSED, () -> db.inTransaction(TxOptions.defaults().withRetry(RetryPolicy.defaults()), tx -> 1));
        failsWith(ErrorCode.CLOSED, () -> db.useTransaction(tx -> { }));
        failsWith(ErrorCode.CLOSED, db::begin);
        failsWith(ErrorCode.CLOSED, () -> db.table(Item.class).find(1));
        failsWith(ErrorCode.CLOSED, () -> db.table(Item.class).insert(new Item(2, "b")));
        failsWith(ErrorCode.CLOSED, () -> db.idempotent(IdempotencyKey.of("k"), ResultCodec.integers(), tx -> 1));
        failsWith(ErrorCode.CLOSED, () -> db.optimistic(RetryPolicy.defaults(), tx -> 1));
        failsWith(ErrorCode.CLOSED, () -> db.dataSource().getConnection());
        failsWith(ErrorCode.CLOSED, db::purgeExpiredIdempotencyKeys);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("at once, no waiting for a pool")
                .isLessThan(Duration.ofSeconds(1));
        assertThat(db.openTransactions()).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void closingEndsOpenTransactionsAndCancelsTheirRunningStatements(DbKind kind) throws Exception {
        var pool = closeLater(schema(kind).newPool(3));
        Database db = Database.create(pool);
        Transaction open = CompletableFuture.supplyAsync(() -> { // idle and open at close, on another thread
            Transaction t = db.begin(TxOptions.defaults().withTimeout(Duration.ofSeconds(30)));
            t.sql("UPDATE item SET name = 'uncommitted' WHERE id = 1").update();
            return t;
        }).get(10, TimeUnit.SECONDS);
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Object> running = CompletableFuture.supplyAsync(() -> db.inTransaction(
                TxOptions.defaults().withTimeout(Duration.ofSeconds(30)).withRetry(RetryPolicy.none()), tx -> {
                    started.countDown();
                    return tx.sql(kind == DbKind.POSTGRES ? "SELECT pg_sleep(20)" : "SELECT SLEEP(20)").list(Object.class);
                }));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        waitUntilRunning(kind);
        long start = System.nanoTime();
        db.close();
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> running.get(10, TimeUnit.SECONDS));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("cancelled, not run to its end").isLessThan(Duration.ofSeconds(5));
        assertThat(failure.getCause()).isInstanceOfSatisfying(TxkitException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CLOSED));
        failsWith(ErrorCode.CLOSED, open::commit);
        assertThat(db.openTransactions()).isZero();
        assertThat(pool.getHikariPoolMXBean().getActiveConnections()).as("every connection given back").isZero();
        assertThat(schema(kind).unpooledDataSource().getConnection().createStatement()
                .executeQuery("SELECT name FROM item WHERE id = 1")).satisfies(rs -> {
                    rs.next();
                    assertThat(rs.getString(1)).as("nothing of the open transaction committed").isEqualTo("a");
                });
    }

    /** Polls the server until the sleeping statement is running there. */
    private void waitUntilRunning(DbKind kind) throws Exception {
        String probe = kind == DbKind.POSTGRES
                ? "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query = 'SELECT pg_sleep(20)'"
                : "SELECT count(*) FROM information_schema.processlist WHERE info = 'SELECT SLEEP(20)'";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try (var c = schema(kind).unpooledDataSource().getConnection(); var st = c.createStatement()) {
            while (System.nanoTime() < deadline) {
                try (var rs = st.executeQuery(probe)) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        return;
                    }
                }
            }
        }
        throw new AssertionError("the statement never showed up on the server");
    }
}
