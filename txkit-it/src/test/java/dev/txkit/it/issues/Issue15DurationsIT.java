package dev.txkit.it.issues;

import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.IdempotencyKey;
import dev.txkit.ResultCodec;
import dev.txkit.TxOptions;
import dev.txkit.dialect.Dialect;
import dev.txkit.it.DbIT;
import dev.txkit.retry.RetryPolicy;
import dev.txkit.testing.DbKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.txkit.it.issues.Issue15.failsWith;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15 items 1–3 on real databases: extreme durations fail with INVALID_ARGUMENT before
 * anything is borrowed (no ArithmeticException, no leaked connection), a failing begin never leaks
 * a pooled connection, an idempotency key runs its work at most once whatever its TTL, and
 * {@code retryOn(Set.of(...))} retries.
 */
class Issue15DurationsIT extends DbIT {
    private static final Duration FOREVER = ChronoUnit.FOREVER.getDuration();

    @BeforeEach
    void table() {
        for (DbKind kind : available(DbKind.values())) {
            schema(kind).execute("DROP TABLE IF EXISTS counter", "CREATE TABLE counter (id INT PRIMARY KEY, n INT)",
                    "INSERT INTO counter VALUES (1, 0)");
        }
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void extremeDurationsFailAtOnceWithInvalidArgumentAndLeakNothing(DbKind kind) {
        Database db = db(kind);
        for (int i = 0; i < 3; i++) {
            failsWith(ErrorCode.INVALID_ARGUMENT, () -> db.inTransaction(TxOptions.defaults().withTimeout(FOREVER), tx -> 1));
            failsWith(ErrorCode.INVALID_ARGUMENT, () -> db.inTransaction(
                    TxOptions.defaults().withTimeout(Duration.ofDays(365_000)), tx -> 1));
            failsWith(ErrorCode.INVALID_ARGUMENT, () -> db.begin(TxOptions.defaults().withMaxWait(FOREVER)));
            failsWith(ErrorCode.INVALID_ARGUMENT, () -> db.inTransaction(TxOptions.defaults().withRetry(
                    RetryPolicy.builder().backoff(Duration.ofMillis(1), FOREVER).build()), tx -> 1));
            failsWith(ErrorCode.INVALID_ARGUMENT, () -> db.inTransaction(TxOptions.defaults().withRetry(
                    RetryPolicy.builder().maxDuration(FOREVER).build()), tx -> 1));
            failsWith(ErrorCode.INVALID_ARGUMENT, () -> Database.builder(schema(kind).unpooledDataSource())
                    .selfDeadlockThreshold(FOREVER));
        }
        assertThat(db.activeConnections()).as(db.poolState()).isZero();
        // the longest accepted values work end to end
        TxOptions longest = TxOptions.defaults().withTimeout(Duration.ofDays(365)).withMaxWait(Duration.ofDays(365))
                .withRetry(RetryPolicy.builder().backoff(Duration.ZERO, Duration.ofDays(365)).maxDuration(Duration.ofDays(365)).build());
        int updated = db.inTransaction(longest, tx -> tx.sql("UPDATE counter SET n = n + 1 WHERE id = ?", 1).update());
        assertThat(updated).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void aBeginThatFailsAnywhereGivesItsConnectionBack(DbKind kind) {
        Dialect real = db(kind).dialect();
        for (Class<? extends Throwable> failure : java.util.List.of(ArithmeticException.class, SQLException.class)) {
            Database db = watch(Database.builder(closeLater(schema(kind).newPool(2))).dialect(failingBegin(real, failure)).build());
            for (int i = 0; i < 5; i++) { // more attempts than the pool has connections: a leak would end in ACQUIRE_TIMEOUT
                RuntimeException e = org.assertj.core.api.Assertions.catchRuntimeException(() -> db.inTransaction(
                        TxOptions.defaults().withMaxWait(Duration.ofMillis(500)), tx -> 1));
                assertThat(e).as("begin failed").isNotNull();
                if (e instanceof dev.txkit.TxkitException) {
                    assertThat(((dev.txkit.TxkitException) e).code()).isNotEqualTo(ErrorCode.ACQUIRE_TIMEOUT);
                }
                assertThat(db.activeConnections()).as(failure.getSimpleName() + " attempt " + i + ": " + db.poolState()).isZero();
            }
        }
    }

    /** A dialect that throws {@code failure} from begin(), after the connection was borrowed. */
    private static Dialect failingBegin(Dialect real, Class<? extends Throwable> failure) {
        return (Dialect) Proxy.newProxyInstance(Dialect.class.getClassLoader(), new Class<?>[]{Dialect.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("begin")) {
                        throw failure == SQLException.class ? new SQLException("injected at begin", "08006")
                                : new ArithmeticException("long overflow (injected)");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void anIdempotencyKeyRunsItsWorkAtMostOnceWhateverItsTtl(DbKind kind) {
        Database db = db(kind);
        AtomicInteger ran = new AtomicInteger();
        String k = "ttl-" + kind + "-" + System.nanoTime();
        failsWith(ErrorCode.INVALID_ARGUMENT, () -> db.idempotent(IdempotencyKey.of(k).withTtl(Duration.ofMillis(Long.MAX_VALUE)),
                ResultCodec.integers(), tx -> ran.incrementAndGet()));
        failsWith(ErrorCode.INVALID_ARGUMENT, () -> db.idempotent(IdempotencyKey.of(k).withTtl(FOREVER),
                ResultCodec.integers(), tx -> ran.incrementAndGet()));
        assertThat(ran).hasValue(0);
        IdempotencyKey longest = IdempotencyKey.of(k).withTtl(IdempotencyKey.MAX_TTL);
        for (int i = 0; i < 3; i++) {
            int result = db.idempotent(longest, ResultCodec.integers(), tx -> ran.incrementAndGet());
            assertThat(result).isEqualTo(1);
        }
        assertThat(ran).as("work runs once under one key").hasValue(1);
        assertThat(db.sql("SELECT expires_at FROM txkit_idempotency WHERE idem_key = ?", k).one(Long.class))
                .as("the expiry lies in the future, not wrapped into the past").isGreaterThan(System.currentTimeMillis());
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void retryOnWithAnImmutableSetRetriesThatCode(DbKind kind) {
        Database db = db(kind);
        AtomicInteger attempts = new AtomicInteger();
        RetryPolicy policy = RetryPolicy.builder().retryOn(Set.of(ErrorCode.UNIQUE_VIOLATION)).maxAttempts(3)
                .backoff(Duration.ZERO, Duration.ZERO).build();
        int n = db.inTransaction(TxOptions.defaults().withRetry(policy), tx -> {
            if (attempts.incrementAndGet() == 1) {
                tx.sql("INSERT INTO counter VALUES (1, 5)").update(); // duplicate key: retried by this policy
            }
            return tx.sql("UPDATE counter SET n = n + 1 WHERE id = 1").update();
        });
        assertThat(n).isEqualTo(1);
        assertThat(attempts).hasValue(2);
    }
}
