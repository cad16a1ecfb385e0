package dev.txkit.it;

import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.IdempotencyKey;
import dev.txkit.ResultCodec;
import dev.txkit.TxOptions;
import dev.txkit.retry.RetryPolicy;
import dev.txkit.table.Id;
import dev.txkit.table.Table;
import dev.txkit.table.Version;
import dev.txkit.testing.DbKind;
import dev.txkit.testing.Race;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Idempotency keys around a version-checked read-modify-write (issue 10): 50 concurrent debits, each
 * under its own key, on one wallet row. With {@link RetryPolicy#optimistic()} every debit succeeds
 * exactly once (a lost version check re-runs claim and work together); with the default policy the
 * losers reach the caller as OPTIMISTIC_CONFLICT, which is what the README warns about.
 */
class IdempotentOptimisticIT extends DbIT {
    private static final int CLIENTS = 50;
    private static final long INITIAL = 10_000;

    record Wallet(@Id String id, long balance, @Version int version) {
        Wallet minus(long amount) {
            return new Wallet(id, balance - amount, version);
        }
    }

    @BeforeEach
    void tables() {
        for (DbKind kind : available(DbKind.POSTGRES, DbKind.MARIADB)) {
            schema(kind).execute("DROP TABLE IF EXISTS wallet", "DROP TABLE IF EXISTS txkit_idempotency",
                    "CREATE TABLE wallet (id VARCHAR(20) PRIMARY KEY, balance BIGINT NOT NULL, version INT NOT NULL)",
                    "INSERT INTO wallet VALUES ('alice', " + INITIAL + ", 1)");
        }
    }

    private Race.Result<Long> debitConcurrently(Database db, TxOptions options, String keyPrefix) {
        return Race.run(CLIENTS, Duration.ofSeconds(120), i -> db.idempotent(options,
                IdempotencyKey.of(keyPrefix + i).withRequest("debit 10"), ResultCodec.longs(), tx -> {
                    Table<Wallet> wallets = tx.table(Wallet.class);
                    return wallets.update(wallets.get("alice").minus(10)).balance();
                }));
    }

    /** A Database of its own: the key table is dropped before each test, and a Database creates it once. */
    private Database freshDb(DbKind kind) {
        return watch(Database.create(closeLater(schema(kind).newPool(10))));
    }

    private long balance(DbKind kind) {
        return db(kind).sql("SELECT balance FROM wallet WHERE id = 'alice'").one(Long.class);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void withTheOptimisticPolicyEveryIdempotentDebitSucceedsOnce(DbKind kind) {
        Database db = freshDb(kind);
        TxOptions options = TxOptions.defaults().withMaxWait(Duration.ofSeconds(30)).withRetry(RetryPolicy.optimistic());
        Race.Result<Long> r = debitConcurrently(db, options, "debit-");
        assertThat(r.failures()).as("no debit failed").isEmpty();
        assertThat(r.successes()).isEqualTo(CLIENTS);
        assertThat(balance(kind)).isEqualTo(INITIAL - 10L * CLIENTS);
        assertThat(r.values()).as("each debit saw its own balance").doesNotHaveDuplicates();
        assertThat(db.sql("SELECT COUNT(*) FROM txkit_idempotency").one(Long.class)).isEqualTo((long) CLIENTS);

        // the same 50 requests again: stored results, no work
        Race.Result<Long> again = debitConcurrently(db, options, "debit-");
        assertThat(again.values()).containsExactlyInAnyOrderElementsOf(r.values());
        assertThat(balance(kind)).as("repeats charged nothing").isEqualTo(INITIAL - 10L * CLIENTS);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void withTheDefaultPolicyLostVersionChecksReachTheCaller(DbKind kind) {
        Database db = freshDb(kind);
        Race.Result<Long> r = debitConcurrently(db, TxOptions.defaults().withMaxWait(Duration.ofSeconds(30)), "plain-");
        assertThat(r.failures()).as("OPTIMISTIC_CONFLICT is not retried by the default policy")
                .allSatisfy(f -> assertThat(((dev.txkit.TxkitException) f).code()).isEqualTo(ErrorCode.OPTIMISTIC_CONFLICT));
        assertThat(balance(kind)).as("only acknowledged debits were charged").isEqualTo(INITIAL - 10L * r.successes());
        assertThat(db.sql("SELECT COUNT(*) FROM txkit_idempotency").one(Long.class))
                .as("failed debits left no key behind").isEqualTo((long) r.successes());
    }
}
