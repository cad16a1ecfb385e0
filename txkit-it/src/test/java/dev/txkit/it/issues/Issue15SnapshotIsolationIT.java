package dev.txkit.it.issues;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.Isolation;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.it.CountingDataSource;
import dev.txkit.it.DbIT;
import dev.txkit.testing.DbKind;
import dev.txkit.testing.Race;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15 item 11: on MariaDB a transaction at REPEATABLE READ — explicit or MariaDB's default —
 * runs with {@code innodb_snapshot_isolation=ON}, so a lost update becomes a CONFLICT (1020) that
 * txkit retries; it costs one statement per physical connection, not per transaction.
 */
class Issue15SnapshotIsolationIT extends DbIT {
    private static final String SET = "stmt.execute[SET SESSION innodb_snapshot_isolation = ON]";
    private static final String CHECK = "stmt.executeQuery[SELECT @@SESSION.innodb_snapshot_isolation]";

    @BeforeEach
    void wallet() {
        schema(DbKind.MARIADB).execute("DROP TABLE IF EXISTS wallet", "CREATE TABLE wallet (id INT PRIMARY KEY, balance INT)",
                "INSERT INTO wallet VALUES (1, 1000)");
    }

    private int balance() {
        return db(DbKind.MARIADB).sql("SELECT balance FROM wallet WHERE id = 1").one(Integer.class);
    }

    @Test
    void fiftyConcurrentPlainReadModifyWritesWithDefaultOptionsEndExact() {
        Database db = db(DbKind.MARIADB);
        AtomicInteger conflicts = new AtomicInteger();
        Race.Result<Integer> r = Race.run(50, i -> db.inTransaction(tx -> {
            if (tx.attempt() > 1) {
                conflicts.incrementAndGet();
            }
            int b = tx.sql("SELECT balance FROM wallet WHERE id = 1").one(Integer.class);
            return tx.sql("UPDATE wallet SET balance = ? WHERE id = 1", b - 1).update();
        }));
        int acknowledged = r.successes();
        System.err.printf("issue 15 item 11: 50 default read-modify-writes: %d acknowledged, %d retried attempts,"
                + " failures %s%n", acknowledged, conflicts.get(), r.failures());
        assertThat(balance()).as("every acknowledged deduction applied, none lost").isEqualTo(1000 - acknowledged);
        assertThat(r.failures()).allSatisfy(f -> assertThat(((TxkitException) f).code()).isEqualTo(ErrorCode.CONFLICT));
        assertThat(acknowledged).as("the retries let (nearly) all of them through").isGreaterThanOrEqualTo(45);
    }

    @Test
    void aForcedLostUpdateBecomesAConflictThatIsRetried() throws Exception {
        Database db = db(DbKind.MARIADB);
        CountDownLatch aRead = new CountDownLatch(1);
        CountDownLatch bCommitted = new CountDownLatch(1);
        List<Integer> codes = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<Void> b = CompletableFuture.runAsync(() -> {
            await(aRead);
            db.useTransaction(tx -> tx.sql("UPDATE wallet SET balance = balance - 20 WHERE id = 1").update());
            bCommitted.countDown();
        });
        db.useTransaction(TxOptions.defaults().withRetry(dev.txkit.retry.RetryPolicy.builder()
                .onRetry((n, d, e) -> codes.add(e.vendorCode())).build()), tx -> {
            int read = tx.sql("SELECT balance FROM wallet WHERE id = 1").one(Integer.class);
            if (tx.attempt() == 1) {
                aRead.countDown();
                await(bCommitted);
            }
            tx.sql("UPDATE wallet SET balance = ? WHERE id = 1", read - 10).update();
        });
        b.get(10, TimeUnit.SECONDS);
        assertThat(balance()).as("both deductions kept: 1000 - 20 - 10").isEqualTo(970);
        assertThat(codes).as("the stale write failed with 1020 and was retried").containsExactly(1020);
    }

    @Test
    void oneStatementPerPhysicalConnectionNotPerTransaction() {
        CountingDataSource counting = new CountingDataSource(closeLater(schema(DbKind.MARIADB).newPool(1)));
        Database db = watch(Database.create(counting.dataSource));
        db.useTransaction(TxOptions.defaults().withIsolation(Isolation.READ_COMMITTED),
                tx -> tx.sql("SELECT 1").one(Integer.class));
        assertThat(counting.calls).as("READ COMMITTED does not need it").doesNotContain(SET, CHECK);
        for (int i = 0; i < 5; i++) {
            db.useTransaction(tx -> tx.sql("UPDATE wallet SET balance = balance - 1 WHERE id = 1").update());
            db.useTransaction(TxOptions.defaults().withIsolation(Isolation.REPEATABLE_READ),
                    tx -> tx.sql("SELECT balance FROM wallet WHERE id = 1").one(Integer.class));
        }
        assertThat(counting.calls.stream().filter(SET::equals).count()).as("one SET for the pool's one connection").isEqualTo(1);
        assertThat(counting.calls.stream().filter(CHECK::equals).count()).as("one check per Database").isEqualTo(1);
        assertThat(balance()).isEqualTo(995);
    }

    @Test
    void nothingIsSentWhenTheSessionsAlreadyHaveIt() {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(schema(DbKind.MARIADB).jdbcUrl() + "?sessionVariables=innodb_snapshot_isolation=ON");
        c.setUsername(schema(DbKind.MARIADB).user());
        c.setPassword(schema(DbKind.MARIADB).password());
        c.setMaximumPoolSize(2);
        CountingDataSource counting = new CountingDataSource(closeLater(new HikariDataSource(c)));
        Database db = watch(Database.create(counting.dataSource));
        for (int i = 0; i < 3; i++) {
            db.useTransaction(tx -> tx.sql("UPDATE wallet SET balance = balance - 1 WHERE id = 1").update());
        }
        assertThat(counting.calls).doesNotContain(SET);
        assertThat(counting.calls.stream().filter(CHECK::equals).count()).isEqualTo(1);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("latch not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
