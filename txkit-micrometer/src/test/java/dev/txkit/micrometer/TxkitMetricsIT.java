package dev.txkit.micrometer;

import com.zaxxer.hikari.HikariDataSource;
import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.IdempotencyKey;
import dev.txkit.Isolation;
import dev.txkit.ResultCodec;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.retry.RetryPolicy;
import dev.txkit.spi.TxAttempt;
import dev.txkit.spi.TxListener;
import dev.txkit.testing.DbKind;
import dev.txkit.testing.Faults;
import dev.txkit.testing.FaultyDataSource;
import dev.txkit.testing.Race;
import dev.txkit.testing.TestDatabase;
import dev.txkit.testing.TestDatabases;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Meters after real runs on PostgreSQL: concurrent SERIALIZABLE deductions from one wallet row
 * (write conflicts, retried), a policy that gives up, a deadline hit and an idempotent replay.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TxkitMetricsIT {
    private static final int CLIENTS = 16;
    private TestDatabase pg;
    private HikariDataSource pool;

    @BeforeAll
    void start() {
        pg = TestDatabases.create(DbKind.POSTGRES, "metrics");
        pg.execute("CREATE TABLE wallet (id INT PRIMARY KEY, balance INT NOT NULL)", "INSERT INTO wallet VALUES (1, 1000)");
        pool = pg.newPool(CLIENTS);
    }

    @AfterAll
    void stop() {
        pool.close();
        pg.close();
    }

    @Test
    void conflictsAreCountedAsRetriesByCodeAndEveryTransactionByOutcome() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Map<ErrorCode, AtomicInteger> seen = new ConcurrentHashMap<>();
        TxListener witness = new TxListener() { // an independent count of the same events
            @Override
            public void retryScheduled(TxAttempt failed, Duration delay, TxkitException failure) {
                seen.computeIfAbsent(failure.code(), c -> new AtomicInteger()).incrementAndGet();
            }
        };
        try (Database db = Database.builder(pool).listener(new TxkitMetrics(registry)).listener(witness).build()) {
            TxOptions serializable = TxOptions.defaults().withIsolation(Isolation.SERIALIZABLE)
                    .withMaxWait(Duration.ofSeconds(20)).withRetry(RetryPolicy.builder().maxAttempts(100)
                            .backoff(Duration.ofMillis(1), Duration.ofMillis(50)).maxDuration(Duration.ofSeconds(60)).build());
            Race.Result<Integer> r = Race.run(CLIENTS, i -> db.inTransaction(serializable, tx -> {
                int balance = tx.sql("SELECT balance FROM wallet WHERE id = 1").one(Integer.class);
                return tx.sql("UPDATE wallet SET balance = ? WHERE id = 1", balance - 10).update();
            }));
            assertThat(r.successes()).isEqualTo(CLIENTS);
            assertThat(db.sql("SELECT balance FROM wallet WHERE id = 1").one(Integer.class)).isEqualTo(1000 - 10 * CLIENTS);
        }
        int conflicts = seen.getOrDefault(ErrorCode.CONFLICT, new AtomicInteger()).get();
        System.out.println("retried conflicts: " + seen);
        assertThat(conflicts).as("16 concurrent SERIALIZABLE read-modify-writes of one row conflict").isPositive();
        assertThat(count(registry, TxkitMetrics.RETRIES, "code", "CONFLICT")).isEqualTo(conflicts);
        assertThat(registry.get(TxkitMetrics.TRANSACTION).tags("outcome", "committed", "code", "none").timer().count())
                .isEqualTo(CLIENTS);
        long failedAttempts = registry.get(TxkitMetrics.ATTEMPT).tags("outcome", "failed").timers().stream()
                .mapToLong(t -> t.count()).sum();
        assertThat(failedAttempts).isEqualTo(seen.values().stream().mapToInt(AtomicInteger::get).sum());
        assertThat(registry.get(TxkitMetrics.ATTEMPT).tags("outcome", "committed").timer().count()).isEqualTo(CLIENTS);
        assertThat(registry.get(TxkitMetrics.RETRY_BACKOFF).timer().count()).isEqualTo(conflicts + others(seen));
        assertThat(registry.get(TxkitMetrics.ACQUIRE).timer().count()).isGreaterThanOrEqualTo(CLIENTS + failedAttempts);
        for (Meter m : registry.getMeters()) {
            assertThat(m.getId().getTags()).allSatisfy(t -> assertThat(t.getValue()).doesNotContain(" ", "wallet"));
        }
    }

    @Test
    void givingUpADeadlineAndAReplayAreCounted() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        FaultyDataSource faulty = FaultyDataSource.wrap(pool).failCommit(Faults.serializationFailure());
        try (Database db = Database.builder(faulty).listener(new TxkitMetrics(registry)).build()) {
            // every COMMIT fails: the fault is re-armed before the second (last) attempt
            TxOptions twoTries = TxOptions.defaults().withRetry(RetryPolicy.builder().maxAttempts(2)
                    .backoff(Duration.ofMillis(1), Duration.ofMillis(2))
                    .onRetry((n, delay, failure) -> faulty.failCommit(Faults.serializationFailure())).build());
            assertThatThrownBy(() -> db.inTransaction(twoTries, tx -> tx.sql("SELECT 1").one(Integer.class)))
                    .isInstanceOfSatisfying(TxkitException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
            faulty.clear();
            assertThat(count(registry, TxkitMetrics.GIVE_UPS, "code", "CONFLICT")).isEqualTo(1);
            assertThat(registry.get(TxkitMetrics.TRANSACTION).tags("outcome", "failed", "code", "CONFLICT").timer().count())
                    .isEqualTo(1);

            assertThatThrownBy(() -> db.inTransaction(TxOptions.defaults().withTimeout(Duration.ofMillis(200)),
                    tx -> tx.sql("SELECT pg_sleep(2)").update()))
                    .isInstanceOfSatisfying(TxkitException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT));
            assertThat(registry.get(TxkitMetrics.DEADLINE_HITS).counter().count()).isEqualTo(1);

            IdempotencyKey key = IdempotencyKey.of("metrics-" + System.nanoTime());
            assertThat(db.idempotent(key, ResultCodec.text(), tx -> "first")).isEqualTo("first");
            assertThat(db.idempotent(key, ResultCodec.text(), tx -> "second")).isEqualTo("first");
            assertThat(registry.get(TxkitMetrics.IDEMPOTENT_REPLAYS).counter().count()).isEqualTo(1);
            db.sql("DROP TABLE txkit_idempotency").update();
        }
    }

    /** A versioned row for {@code db.optimistic}. */
    record Tally(@dev.txkit.table.Id Integer id, int n, @dev.txkit.table.Version int version) {
    }

    @Test
    void optimisticRetriesAreCountedToo() {
        pg.execute("CREATE TABLE tally (id INT PRIMARY KEY, n INT NOT NULL, version INT NOT NULL)",
                "INSERT INTO tally VALUES (1, 0, 1)");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Database db = Database.builder(pool).listener(new TxkitMetrics(registry)).build()) {
            RetryPolicy policy = RetryPolicy.builder().maxAttempts(50).backoff(Duration.ofMillis(1), Duration.ofMillis(20))
                    .maxDuration(Duration.ofSeconds(60)).build();
            Race.Result<Tally> r = Race.run(8, i -> db.optimistic(policy, tx -> {
                Tally t = tx.table(Tally.class).get(1);
                return tx.table(Tally.class).update(new Tally(1, t.n() + 1, t.version()));
            }));
            assertThat(r.successes()).isEqualTo(8);
            assertThat(db.sql("SELECT n FROM tally WHERE id = 1").one(Integer.class)).isEqualTo(8);
        }
        System.out.println("optimistic retries: " + count(registry, TxkitMetrics.RETRIES, "code", "OPTIMISTIC_CONFLICT"));
        assertThat(count(registry, TxkitMetrics.RETRIES, "code", "OPTIMISTIC_CONFLICT")
                + count(registry, TxkitMetrics.RETRIES, "code", "CONFLICT")).as("8 writers of one version conflict").isPositive();
    }

    record Counter1(@dev.txkit.table.Id int id, int n) {
    }

    /** Collisions on one call site make it hot (limit down, admission waits), and modify batches are counted. */
    @Test
    void contentionLimitsAdmissionWaitsAndCombinedBatchesAreMeasured() {
        pg.execute("CREATE TABLE counter1 (id INT PRIMARY KEY, n INT NOT NULL)", "INSERT INTO counter1 VALUES (1, 0)",
                "CREATE TABLE hot (id INT PRIMARY KEY, balance INT NOT NULL)", "INSERT INTO hot VALUES (1, 1000)");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Database db = Database.builder(pool).listener(new TxkitMetrics(registry)).build()) {
            ContentionGauges.register(registry, db, Tags.of("pool", "metrics"));
            TxOptions serializable = TxOptions.defaults().withIsolation(Isolation.SERIALIZABLE)
                    .withMaxWait(Duration.ofSeconds(20)).withTimeout(Duration.ofSeconds(30));
            Race.Result<Integer> r = Race.run(CLIENTS, i -> {
                int done = 0;
                for (int k = 0; k < 5; k++) {
                    done += db.inTransaction(serializable, tx -> {
                        int balance = tx.sql("SELECT balance FROM hot WHERE id = 1").one(Integer.class);
                        return tx.sql("UPDATE hot SET balance = ? WHERE id = 1", balance - 1).update();
                    });
                }
                return done;
            });
            assertThat(r.successes()).isEqualTo(CLIENTS);
            assertThat(db.contention()).as("the call site collided and has a record").isNotEmpty();
            assertThat(registry.get(ContentionGauges.HOT_KEYS).tags("pool", "metrics").gauge().value())
                    .isEqualTo(db.contention().stream().filter(dev.txkit.KeyContention::hot).count());
            Race.Result<Counter1> m = Race.run(CLIENTS, i -> db.table(Counter1.class).modify(1, c -> new Counter1(c.id(), c.n() + 1)));
            assertThat(m.successes()).isEqualTo(CLIENTS);
        }
        assertThat(count(registry, TxkitMetrics.LIMIT_CHANGES, "direction", "down")).as("the limit was lowered").isPositive();
        assertThat(registry.get(TxkitMetrics.ADMISSION_WAIT).timer().count()).as("transactions waited for admission").isPositive();
        assertThat(registry.get(TxkitMetrics.COMBINED).summary().totalAmount()).as("every modify is in one batch")
                .isEqualTo(CLIENTS);
        for (Meter meter : registry.getMeters()) {
            assertThat(meter.getId().getTags()).allSatisfy(t -> assertThat(t.getValue()).doesNotContain("wallet", "$$Lambda"));
        }
    }

    private static int others(Map<ErrorCode, AtomicInteger> seen) {
        return seen.entrySet().stream().filter(e -> e.getKey() != ErrorCode.CONFLICT).mapToInt(e -> e.getValue().get()).sum();
    }

    private static double count(SimpleMeterRegistry registry, String name, String tag, String value) {
        Counter c = registry.find(name).tag(tag, value).counter();
        return c == null ? 0 : c.count();
    }
}
