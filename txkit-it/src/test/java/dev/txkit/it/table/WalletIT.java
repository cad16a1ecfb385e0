package dev.txkit.it.table;

import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.Isolation;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.it.DbIT;
import dev.txkit.retry.RetryPolicy;
import dev.txkit.table.Change;
import dev.txkit.table.Id;
import dev.txkit.table.LockEscalation;
import dev.txkit.table.RowLock;
import dev.txkit.table.Table;
import dev.txkit.table.TableName;
import dev.txkit.table.UpdateResult;
import dev.txkit.table.Version;
import dev.txkit.testing.DbKind;
import dev.txkit.testing.Interleaving;
import dev.txkit.testing.Race;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seed 000's wallet: two deductions read the same balance and the second write loses the first.
 * txkit's version check refuses the stale write, and {@code db.optimistic} re-runs the
 * read-modify-write until it lands; after a conflict the retried reads lock the row.
 */
class WalletIT extends DbIT {
    static final TxOptions ONCE = TxOptions.defaults().withRetry(RetryPolicy.none());

    @TableName("wallet")
    record PlainWallet(@Id String id, long balance) {
        PlainWallet minus(long amount) {
            return new PlainWallet(id, balance - amount);
        }
    }

    record Wallet(@Id String id, long balance, @Version int version) {
        Wallet minus(long amount) {
            return new Wallet(id, balance - amount, version);
        }
    }

    @BeforeEach
    void wallet() {
        for (DbKind kind : List.of(DbKind.POSTGRES, DbKind.MARIADB, DbKind.H2)) {
            schema(kind).execute("DROP TABLE IF EXISTS wallet",
                    "CREATE TABLE wallet (id VARCHAR(10) PRIMARY KEY, balance BIGINT NOT NULL, version INT NOT NULL)");
            db(kind).table(Wallet.class).insert(new Wallet("w", 100, 0));
        }
    }

    private long balance(DbKind kind) {
        return db(kind).table(Wallet.class).get("w").balance();
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB", "H2"})
    void withoutProtectionTheSecondDeductionLosesTheFirst(DbKind kind) {
        Database db = db(kind);
        Interleaving.Script deduct50 = plainDeduction(db, 50);
        Interleaving.Script deduct30 = plainDeduction(db, 30);
        Interleaving.Result r = Race.interleave().actor("A", deduct50).actor("B", deduct30)
                .order("A.read", "B.read", "A.write", "B.write").run();
        assertThat(r.failure("A")).isNull();
        assertThat(r.failure("B")).isNull();
        assertThat(balance(kind)).as("both deductions acknowledged, 50 of them lost").isEqualTo(70);
    }

    private static Interleaving.Script plainDeduction(Database db, long amount) {
        // READ COMMITTED everywhere: MariaDB's default REPEATABLE READ detects this lost update (issue 15)
        return t -> db.inTransaction(ONCE.withIsolation(Isolation.READ_COMMITTED), tx -> {
            Table<PlainWallet> wallets = tx.table(PlainWallet.class);
            t.step("read");
            PlainWallet w = wallets.get("w");
            t.step("write");
            return wallets.update(w.minus(amount));
        });
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB", "H2"})
    void withUpdateAndOptimisticRetryNothingIsLost(DbKind kind) {
        Database db = db(kind);
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(3).backoff(Duration.ZERO, Duration.ZERO).build();
        Interleaving.Result r = Race.interleave()
                .actor("A", t -> optimisticDeduction(db, policy, t, 50))
                .actor("B", t -> optimisticDeduction(db, policy, t, 30))
                .order("A.read", "B.read", "A.write", "B.write").run();
        assertThat(((Wallet) r.value("A")).version()).isEqualTo(2);
        assertThat(((Wallet) r.value("B")).version()).as("B lost once, re-read and wrote on top").isEqualTo(3);
        assertThat(balance(kind)).isEqualTo(20);
    }

    private static Wallet optimisticDeduction(Database db, RetryPolicy policy, Interleaving.Turn t, long amount) {
        AtomicInteger attempt = new AtomicInteger();
        return db.optimistic(policy, tx -> {
            boolean first = attempt.incrementAndGet() == 1; // only the first attempt follows the forced order
            Table<Wallet> wallets = tx.table(Wallet.class);
            if (first) {
                t.step("read");
            }
            Wallet w = wallets.get("w");
            if (first) {
                t.step("write");
            }
            return wallets.update(w.minus(amount));
        });
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB", "H2"})
    void tryUpdateHandsBackTheCurrentRowToRetryOn(DbKind kind) {
        Database db = db(kind);
        Interleaving.Script a = t -> {
            Table<Wallet> wallets = db.table(Wallet.class);
            t.step("read");
            Wallet w = wallets.get("w");
            t.step("write");
            return wallets.tryUpdate(w.minus(50));
        };
        List<UpdateResult<Wallet>> seenByB = Collections.synchronizedList(new ArrayList<>());
        Interleaving.Script b = t -> {
            Table<Wallet> wallets = db.table(Wallet.class);
            t.step("read");
            Wallet w = wallets.get("w");
            t.step("write");
            UpdateResult<Wallet> result = wallets.tryUpdate(w.minus(30));
            seenByB.add(result);
            while (result instanceof UpdateResult.Conflict<Wallet> c) {
                result = wallets.tryUpdate(c.current().minus(30));
                seenByB.add(result);
            }
            return result;
        };
        Race.interleave().actor("A", a).actor("B", b).order("A.read", "B.read", "A.write", "B.write").run();
        assertThat(seenByB.get(0)).isEqualTo(new UpdateResult.Conflict<>(new Wallet("w", 50, 2)));
        assertThat(seenByB.get(1)).isEqualTo(new UpdateResult.Updated<>(new Wallet("w", 20, 3)));
        assertThat(balance(kind)).isEqualTo(20);
    }

    private Database roomy(DbKind kind) {
        TxOptions patient = TxOptions.defaults().withMaxWait(Duration.ofSeconds(20)).withTimeout(Duration.ofSeconds(20));
        return watch(Database.builder(schema(kind).newPool(16)).defaults(patient).build());
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void fiftyConcurrentDeductionsLandExactly(DbKind kind) {
        Database db = roomy(kind);
        db.table(Wallet.class).update(db.table(Wallet.class).get("w").minus(-900)); // balance 1000
        // Two attempts are enough for every one of 50 clients on one hot row: after its first conflict an
        // attempt reads with FOR UPDATE, so nobody can change the row between its read and its write.
        RetryPolicy twice = RetryPolicy.builder().maxAttempts(2).backoff(Duration.ZERO, Duration.ZERO).build();
        Race.Result<Wallet> r = Race.run(50, i -> db.optimistic(twice, tx -> {
            Table<Wallet> wallets = tx.table(Wallet.class);
            return wallets.update(wallets.get("w").minus(7));
        }));
        assertThat(r.failures()).isEmpty();
        assertThat(balance(kind)).isEqualTo(1000 - 50 * 7);
        assertThat(db.table(Wallet.class).get("w").version()).isEqualTo(2 + 50);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void fiftyConcurrentAtomicDecrementsLandExactly(DbKind kind) {
        Database db = roomy(kind);
        Race.Result<Integer> r = Race.run(50, i -> db.table(Wallet.class).where("id", "w")
                .updateAll(Change.decrement("balance", 2)));
        assertThat(r.values()).hasSize(50).containsOnly(1);
        assertThat(balance(kind)).isZero();
        assertThat(db.table(Wallet.class).get("w").version()).as("bulk updates bump the version").isEqualTo(51);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void afterAConflictTheRetriedReadLocksTheRow(DbKind kind) {
        assertThat(probeDuringRetry(kind, LockEscalation.AFTER_CONFLICT))
                .containsExactly("attempt 1: free", "attempt 2: LOCK_TIMEOUT");
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void withoutEscalationTheRetriedReadLocksNothing(DbKind kind) {
        assertThat(probeDuringRetry(kind, LockEscalation.NONE)).containsExactly("attempt 1: free", "attempt 2: free");
    }

    /**
     * B reads, A writes and commits, B's write conflicts and B retries. Right after each of B's reads a
     * third transaction asks for the row with NOWAIT: it gets it unless B's read locked it.
     */
    private List<String> probeDuringRetry(DbKind kind, LockEscalation escalation) {
        Database db = db(kind);
        List<String> probes = Collections.synchronizedList(new ArrayList<>());
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(3).backoff(Duration.ZERO, Duration.ZERO).build();
        Interleaving.Result r = Race.interleave()
                .actor("B", t -> {
                    AtomicInteger attempt = new AtomicInteger();
                    return db.optimistic(policy, escalation, tx -> {
                        int n = attempt.incrementAndGet();
                        if (n == 1) {
                            t.step("read");
                        }
                        Wallet w = tx.table(Wallet.class).get("w");
                        probes.add("attempt " + n + ": " + probe(db));
                        if (n == 1) {
                            t.step("write");
                        }
                        return tx.table(Wallet.class).update(w.minus(30));
                    });
                })
                .actor("A", t -> {
                    t.step("write");
                    Table<Wallet> wallets = db.table(Wallet.class);
                    return wallets.update(wallets.get("w").minus(50));
                })
                .order("B.read", "A.write", "B.write").run();
        assertThat(r.failure("B")).isNull();
        assertThat(balance(kind)).isEqualTo(20);
        return probes;
    }

    private static String probe(Database db) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try {
                db.inTransaction(ONCE, tx -> tx.table(Wallet.class).getForUpdate("w", RowLock.NOWAIT));
                return "free";
            } catch (TxkitException e) {
                return e.code().name();
            }
        }).get(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "H2"})
    void optimisticInsideATransactionIsMisuse(DbKind kind) {
        Database db = db(kind);
        TableCrudITSupport.assertCode(() -> db.useTransaction(tx -> db.optimistic(RetryPolicy.defaults(), inner -> 1)),
                ErrorCode.MISUSE);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void optimisticGivesUpAfterItsAttemptsAndPassesOtherFailuresThrough(DbKind kind) throws Exception {
        Database db = db(kind);
        List<Integer> retries = Collections.synchronizedList(new ArrayList<>());
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(2).backoff(Duration.ZERO, Duration.ZERO)
                .onRetry((next, delay, failure) -> retries.add(next)).build();
        // every attempt loses: another client writes between its read and its write
        TxkitException e = TableCrudITSupport.assertCode(() -> db.optimistic(policy, LockEscalation.NONE, tx -> {
            Wallet w = tx.table(Wallet.class).get("w");
            CompletableFuture.runAsync(() -> db.table(Wallet.class).update(db.table(Wallet.class).get("w").minus(1)))
                    .get(10, TimeUnit.SECONDS);
            return tx.table(Wallet.class).update(w.minus(30));
        }), ErrorCode.OPTIMISTIC_CONFLICT);
        assertThat(e.getMessage()).contains("gave up after attempt 2").contains("maxAttempts 2");
        assertThat(retries).containsExactly(2);
        assertThat(balance(kind)).as("only the interfering writes landed").isEqualTo(98);

        IllegalStateException boom = new IllegalStateException("not a conflict");
        AtomicInteger attempts = new AtomicInteger();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> db.optimistic(policy, tx -> {
            attempts.incrementAndGet();
            throw boom;
        })).isSameAs(boom);
        assertThat(attempts.get()).isEqualTo(1);
    }
}
