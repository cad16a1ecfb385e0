package dev.txkit.it;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.Isolation;
import dev.txkit.TxOptions;
import dev.txkit.retry.RetryPolicy;
import dev.txkit.testing.DbKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seed 000's wallet: 50 concurrent deductions of 30 from one row holding 1000, written the natural
 * way (read the balance, decide, write it back). With the right isolation or lock and txkit's
 * retries, exactly 33 succeed, 17 are refused for lack of funds, and the balance ends at exactly 10.
 */
class WalletIT extends DbIT {
    private static final int CLIENTS = 50;
    private static final int INITIAL = 1000;
    private static final int AMOUNT = 30;
    private final ExecutorService threads = Executors.newFixedThreadPool(CLIENTS);

    @AfterAll
    void stop() {
        threads.shutdownNow();
    }

    /** Generous enough that 50 clients on one row all get through; the retries are the point here. */
    private static TxOptions contended(Isolation isolation, Map<ErrorCode, AtomicInteger> retries) {
        return TxOptions.defaults().withIsolation(isolation).withMaxWait(Duration.ofSeconds(30))
                .withRetry(RetryPolicy.builder().maxAttempts(200).backoff(Duration.ofMillis(2), Duration.ofMillis(100))
                        .maxDuration(Duration.ofSeconds(60))
                        .onRetry((n, d, f) -> retries.computeIfAbsent(f.code(), c -> new AtomicInteger()).incrementAndGet())
                        .build());
    }

    private void freshWallet(DbKind kind) {
        schema(kind).execute("DROP TABLE IF EXISTS wallet", "CREATE TABLE wallet (id INT PRIMARY KEY, balance INT NOT NULL)",
                "INSERT INTO wallet VALUES (1, " + INITIAL + ")");
    }

    /** Runs the 50 deductions at once; returns how many were acknowledged. */
    private int deductConcurrently(Database db, TxOptions options, String select) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            results.add(threads.submit(() -> {
                start.await();
                return db.inTransaction(options, tx -> {
                    int balance = tx.sql(select).one(Integer.class);
                    if (balance < AMOUNT) {
                        return false; // insufficient funds: refused, not an error
                    }
                    tx.sql("UPDATE wallet SET balance = ? WHERE id = 1", balance - AMOUNT).update();
                    return true;
                });
            }));
        }
        start.countDown();
        int acknowledged = 0;
        for (Future<Boolean> f : results) {
            if (f.get(120, TimeUnit.SECONDS)) {
                acknowledged++;
            }
        }
        return acknowledged;
    }

    private void assertExact(DbKind kind, int acknowledged, Map<ErrorCode, AtomicInteger> retries) {
        System.out.println("wallet " + kind + ": " + acknowledged + " deductions acknowledged, retries " + retries);
        int balance = db(kind).sql("SELECT balance FROM wallet WHERE id = 1").one(Integer.class);
        assertThat(balance).as("balance = initial - acknowledged deductions").isEqualTo(INITIAL - AMOUNT * acknowledged);
        assertThat(balance).isBetween(0, AMOUNT - 1);
        assertThat(acknowledged).isEqualTo(INITIAL / AMOUNT);
    }

    @Test
    void postgresSerializableWithRetryKeepsTheBalanceExact() throws Exception {
        freshWallet(DbKind.POSTGRES);
        Map<ErrorCode, AtomicInteger> retries = new ConcurrentHashMap<>();
        int acknowledged = deductConcurrently(db(DbKind.POSTGRES), contended(Isolation.SERIALIZABLE, retries),
                "SELECT balance FROM wallet WHERE id = 1");
        assertExact(DbKind.POSTGRES, acknowledged, retries);
        assertThat(retries.keySet()).as("only serialization failures are expected").isSubsetOf(ErrorCode.CONFLICT);
    }

    @Test
    void mariaDbRepeatableReadWithSnapshotIsolationAndRetryKeepsTheBalanceExact() throws Exception {
        freshWallet(DbKind.MARIADB);
        Database db = watch(Database.create(closeLater(sessionPool("innodb_snapshot_isolation=ON"))));
        Map<ErrorCode, AtomicInteger> retries = new ConcurrentHashMap<>();
        int acknowledged = deductConcurrently(db, contended(Isolation.REPEATABLE_READ, retries),
                "SELECT balance FROM wallet WHERE id = 1");
        assertExact(DbKind.MARIADB, acknowledged, retries);
        assertThat(retries.keySet()).isSubsetOf(ErrorCode.CONFLICT, ErrorCode.DEADLOCK);
    }

    @Test
    void mariaDbRepeatableReadWithSelectForUpdateKeepsTheBalanceExact() throws Exception {
        freshWallet(DbKind.MARIADB);
        Map<ErrorCode, AtomicInteger> retries = new ConcurrentHashMap<>();
        int acknowledged = deductConcurrently(db(DbKind.MARIADB), contended(Isolation.REPEATABLE_READ, retries),
                "SELECT balance FROM wallet WHERE id = 1 FOR UPDATE");
        assertExact(DbKind.MARIADB, acknowledged, retries);
        assertThat(retries).as("the row lock serializes the clients: nothing to retry").isEmpty();
    }

    private HikariDataSource sessionPool(String variables) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(schema(DbKind.MARIADB).jdbcUrl() + "?sessionVariables=" + variables);
        c.setUsername(schema(DbKind.MARIADB).user());
        c.setPassword(schema(DbKind.MARIADB).password());
        c.setMaximumPoolSize(10);
        return new HikariDataSource(c);
    }
}
