package dev.txkit.it;

import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.IdempotencyKey;
import dev.txkit.Propagation;
import dev.txkit.ResultCodec;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.retry.RetryPolicy;
import dev.txkit.testing.DbKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Idempotency keys (seed 001's idempotent API): one effect per key, stored results, mismatches, expiry. */
class IdempotencyIT extends DbIT {
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicInteger runs = new AtomicInteger();

    record Receipt(long id, String plan) {
        static final ResultCodec<Receipt> CODEC = ResultCodec.of(r -> r.id() + ";" + r.plan(),
                s -> new Receipt(Long.parseLong(s.substring(0, s.indexOf(';'))), s.substring(s.indexOf(';') + 1)));
    }

    @AfterAll
    void stop() {
        threads.shutdownNow();
    }

    @BeforeEach
    void tables() {
        for (DbKind kind : available(DbKind.values())) {
            schema(kind).execute("DROP TABLE IF EXISTS subscription",
                    "CREATE TABLE subscription (id INT PRIMARY KEY, team INT NOT NULL, plan VARCHAR(20))");
        }
        runs.set(0);
    }

    /** Seed 001's Slack upgrade: subscribe a team to a plan; the subscription id is the receipt. */
    private Receipt upgrade(Database db, IdempotencyKey key, int team, String plan) {
        return db.idempotent(key, Receipt.CODEC, tx -> {
            int n = runs.incrementAndGet();
            int id = team * 100 + n;
            tx.sql("INSERT INTO subscription VALUES (?, ?, ?)", id, team, plan).update();
            return new Receipt(id, plan);
        });
    }

    private long subscriptions(DbKind kind) {
        return db(kind).sql("SELECT COUNT(*) FROM subscription").one(Long.class);
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void theSameRequestTwiceHasOneEffectAndReturnsTheSameResult(DbKind kind) {
        IdempotencyKey key = IdempotencyKey.of("upgrade-team-9").withRequest("team=9 plan=pro");
        Receipt first = upgrade(db(kind), key, 9, "pro");
        Receipt second = upgrade(db(kind), key, 9, "pro");
        assertThat(second).isEqualTo(first).isEqualTo(new Receipt(901, "pro"));
        assertThat(runs).hasValue(1);
        assertThat(subscriptions(kind)).isEqualTo(1);
        assertThat(upgrade(db(kind), IdempotencyKey.of("upgrade-team-9-again").withRequest("team=9 plan=pro"), 9, "pro"))
                .as("another key is another request").isEqualTo(new Receipt(902, "pro"));
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB", "H2"})
    void twoConcurrentRequestsWithOneKeyRunTheWorkOnce(DbKind kind) throws Exception {
        Database db = db(kind);
        IdempotencyKey key = IdempotencyKey.of("concurrent-1").withRequest("team=5 plan=pro");
        upgrade(db, IdempotencyKey.of("warm-up"), 1, "free"); // the table exists before the race
        CountDownLatch firstInWork = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        long[] firstSession = new long[1];
        Future<Receipt> first = threads.submit(() -> db.idempotent(key, Receipt.CODEC, tx -> {
            runs.incrementAndGet();
            firstSession[0] = tx.sql(sessionIdSql(kind)).one(Long.class);
            tx.sql("INSERT INTO subscription VALUES (?, ?, ?)", 501, 5, "pro").update();
            firstInWork.countDown();
            release.await(20, TimeUnit.SECONDS); // holds the claimed key, uncommitted
            return new Receipt(501, "pro");
        }));
        assertThat(firstInWork.await(20, TimeUnit.SECONDS)).isTrue();
        if (kind == DbKind.H2) {
            // H2 does not wait on the uncommitted key: the duplicate conflicts, and retries after the first commits
            TxOptions options = TxOptions.defaults().withRetry(RetryPolicy.builder()
                    .onRetry((n, d, f) -> release.countDown()).build());
            Future<Receipt> second = threads.submit(() -> db.idempotent(options, key, Receipt.CODEC, tx -> {
                runs.incrementAndGet();
                return new Receipt(-1, "duplicate ran");
            }));
            assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo(first.get(30, TimeUnit.SECONDS));
            assertThat(runs).hasValue(2);
            return;
        }
        Future<Receipt> second = threads.submit(() -> upgrade(db, key, 5, "pro"));
        awaitBlockedBy(kind, firstSession[0], second); // the duplicate is waiting on the key row
        release.countDown();
        Receipt a = first.get(30, TimeUnit.SECONDS);
        Receipt b = second.get(30, TimeUnit.SECONDS);
        assertThat(b).isEqualTo(a).isEqualTo(new Receipt(501, "pro"));
        assertThat(runs).as("warm-up + the first request; the duplicate never ran").hasValue(2);
        assertThat(db.sql("SELECT COUNT(*) FROM subscription WHERE team = 5").one(Long.class)).isEqualTo(1);
    }

    private static String sessionIdSql(DbKind kind) {
        switch (kind) {
            case POSTGRES:
                return "SELECT pg_backend_pid()";
            case MARIADB:
                return "SELECT CONNECTION_ID()";
            default:
                return "SELECT SESSION_ID()";
        }
    }

    /** Polls the server until the duplicate's claim waits on the key held by {@code session}. */
    private void awaitBlockedBy(DbKind kind, long session, Future<?> duplicate) throws Exception {
        String sql;
        switch (kind) {
            case POSTGRES:
                sql = "SELECT COUNT(*) FROM pg_stat_activity WHERE ? = ANY(pg_blocking_pids(pid))";
                break;
            case MARIADB:
                // INNODB_LOCK_WAITS does not reliably list this wait; the process list shows the claim in flight
                sql = "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND ID <> ?"
                        + " AND COMMAND = 'Query' AND INFO LIKE 'INSERT IGNORE INTO txkit_idempotency%'";
                break;
            default:
                sql = "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE BLOCKER_ID = ?";
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (db(kind).sql(sql, kind == DbKind.POSTGRES ? (Object) (int) session : (Object) session).one(Long.class) == 0) {
            if (duplicate.isDone()) {
                throw new AssertionError("the duplicate request did not wait for the key: " + duplicate.get());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the duplicate request never blocked on the key");
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void reusingAKeyForADifferentRequestFailsClearlyAndRunsNothing(DbKind kind) {
        upgrade(db(kind), IdempotencyKey.of("k-mismatch").withRequest("team=7 plan=pro"), 7, "pro");
        assertThatThrownBy(() -> upgrade(db(kind), IdempotencyKey.of("k-mismatch").withRequest("team=7 plan=enterprise"),
                7, "enterprise")).isInstanceOfSatisfying(TxkitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.IDEMPOTENCY_MISMATCH);
                    assertThat(e.httpStatus()).isEqualTo(422);
                    assertThat(e.getMessage()).contains("different request").doesNotContain("k-mismatch");
                });
        assertThat(runs).hasValue(1);
        assertThat(subscriptions(kind)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void anExpiredKeyCountsAsUnusedAndExpiredKeysCanBePurged(DbKind kind) {
        Database db = db(kind);
        IdempotencyKey key = IdempotencyKey.of("k-expiring").withTtl(Duration.ofMinutes(1));
        assertThat(upgrade(db, key, 3, "pro").id()).isEqualTo(301);
        assertThat(upgrade(db, key, 3, "pro").id()).as("still valid: replayed").isEqualTo(301);
        db.sql("UPDATE txkit_idempotency SET expires_at = ? WHERE idem_key = ?", System.currentTimeMillis() - 1,
                key.key()).update(); // the minute has passed
        assertThat(upgrade(db, key, 3, "pro").id()).as("expired: runs again").isEqualTo(302);
        assertThat(runs).hasValue(2);

        upgrade(db, IdempotencyKey.of("k-old"), 4, "free");
        db.sql("UPDATE txkit_idempotency SET expires_at = 0 WHERE idem_key = 'k-old'").update();
        assertThat(db.purgeExpiredIdempotencyKeys()).isEqualTo(1);
        assertThat(db.sql("SELECT idem_key FROM txkit_idempotency WHERE idem_key IN ('k-old', 'k-expiring')")
                .list(String.class)).containsExactly("k-expiring");
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void failedWorkLeavesNoKeySoTheRequestCanBeRepeated(DbKind kind) {
        Database db = db(kind);
        IdempotencyKey key = IdempotencyKey.of("k-fails-once");
        assertThatThrownBy(() -> db.idempotent(key, ResultCodec.text(), tx -> {
            tx.sql("INSERT INTO subscription VALUES (1, 1, 'pro')").update();
            throw new IllegalStateException("payment provider down");
        })).hasMessage("payment provider down");
        assertThat(db(kind).idempotent(key, ResultCodec.text(), tx -> "second try")).isEqualTo("second try");
        assertThat(subscriptions(kind)).isZero();
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void theKeyIsClaimedInTheEnclosingTransactionAndRollsBackWithIt(DbKind kind) {
        Database db = db(kind);
        IdempotencyKey key = IdempotencyKey.of("k-enclosed");
        db.idempotent(key, ResultCodec.none(), tx -> null); // creates the table outside the transaction below
        IdempotencyKey inner = IdempotencyKey.of("k-enclosed-inner");
        assertThatThrownBy(() -> db.useTransaction(outer -> {
            assertThat(db.idempotent(inner, ResultCodec.longs(), tx -> 42L)).isEqualTo(42L);
            throw new IllegalStateException("the enclosing work fails");
        })).hasMessage("the enclosing work fails");
        assertThat(db.sql("SELECT COUNT(*) FROM txkit_idempotency WHERE idem_key = ?", inner.key()).one(Long.class))
                .isZero();
        assertThat(db.idempotent(inner, ResultCodec.longs(), tx -> 43L)).isEqualTo(43L);
        assertThat(db.idempotent(inner, ResultCodec.longs(), tx -> 44L)).as("stored").isEqualTo(43L);
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void nullResultsAreStoredAndReplayed(DbKind kind) {
        IdempotencyKey key = IdempotencyKey.of("k-null");
        assertThat(db(kind).idempotent(key, ResultCodec.text(), tx -> {
            runs.incrementAndGet();
            return (String) null;
        })).isNull();
        assertThat(db(kind).idempotent(key, ResultCodec.text(), tx -> "not again")).isNull();
        assertThat(runs).hasValue(1);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "H2"})
    void neverPropagationIsRefused(DbKind kind) {
        assertThatThrownBy(() -> db(kind).idempotent(TxOptions.defaults().withPropagation(Propagation.NEVER),
                IdempotencyKey.of("k-never"), ResultCodec.text(), tx -> "x"))
                .isInstanceOfSatisfying(TxkitException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MISUSE));
    }
}
