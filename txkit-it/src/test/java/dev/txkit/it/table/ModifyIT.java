package dev.txkit.it.table;

import dev.txkit.Database;
import dev.txkit.TxOptions;
import dev.txkit.it.DbIT;
import dev.txkit.spi.TxAttempt;
import dev.txkit.spi.TxListener;
import dev.txkit.table.Id;
import dev.txkit.table.Table;
import dev.txkit.table.TableName;
import dev.txkit.table.Version;
import dev.txkit.testing.DbKind;
import dev.txkit.testing.Race;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code Table.modify}: concurrent read-modify-writes of one row, combined into batches, each caller
 * with its own result; rejections stay with their caller; the ledger variant writes a row per accepted
 * change; inside a transaction it runs inline.
 */
class ModifyIT extends DbIT {
    static final int THREADS = 64;

    @TableName("m_wallet")
    record Wallet(@Id String id, long balance, @Version int version) {
        Wallet minus(long amount) throws InsufficientFunds {
            if (balance < amount) {
                throw new InsufficientFunds(balance, amount);
            }
            return new Wallet(id, balance - amount, version);
        }
    }

    @TableName("m_ledger")
    record Entry(@Id Long id, String wallet, long amount) {
    }

    /** A checked exception of the application: it must reach its caller unchanged. */
    static final class InsufficientFunds extends Exception {
        InsufficientFunds(long balance, long amount) {
            super("balance " + balance + " < " + amount);
        }
    }

    private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    private final AtomicInteger commits = new AtomicInteger();

    private final java.util.Map<DbKind, Database> counted = new java.util.EnumMap<>(DbKind.class);

    /** A Database of this class's own with a listener counting committed transactions and combined batch sizes. */
    private Database counted(DbKind kind) {
        return counted.computeIfAbsent(kind, k -> watch(Database.builder(closeLater(schema(k).newPool(8)))
                .defaults(TxOptions.defaults().withTimeout(Duration.ofSeconds(30)))
                .listener(new TxListener() {
                    @Override
                    public void committed(TxAttempt attempt, Duration duration) {
                        commits.incrementAndGet();
                    }

                    @Override
                    public void combined(String table, int operations, Duration duration) {
                        batchSizes.add(operations);
                    }
                }).build()));
    }

    @BeforeEach
    void tables() {
        for (DbKind kind : available(DbKind.POSTGRES, DbKind.MARIADB, DbKind.H2, DbKind.SQLITE)) {
            schema(kind).execute("DROP TABLE IF EXISTS m_ledger", "DROP TABLE IF EXISTS m_wallet",
                    "CREATE TABLE m_wallet (id VARCHAR(10) PRIMARY KEY, balance BIGINT NOT NULL, version INT NOT NULL)",
                    "CREATE TABLE m_ledger (id " + Ddl.identity(kind) + ", wallet VARCHAR(10) NOT NULL,"
                            + " amount BIGINT NOT NULL CHECK (amount > 0))");
        }
        batchSizes.clear();
        commits.set(0);
    }

    private static void insert(Database db, long balance) {
        db.table(Wallet.class).insert(new Wallet("w", balance, 0));
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB", "H2", "SQLITE"})
    void sixtyFourConcurrentModificationsEachGetTheirOwnResultAndAllLand(DbKind kind) {
        Database db = counted(kind);
        insert(db, 1000);
        Table<Wallet> wallets = db.table(Wallet.class);
        Race.Result<Wallet> r = Race.run(THREADS, i -> wallets.modify("w", w -> w.minus(1)));
        assertThat(r.failures()).isEmpty();
        Set<Long> balances = new HashSet<>();
        Set<Integer> versions = new HashSet<>();
        for (Wallet w : r.values()) {
            balances.add(w.balance());
            versions.add(w.version());
            assertThat(w.balance()).as("the row as of this caller's own change").isEqualTo(1000 - (w.version() - 1));
        }
        assertThat(balances).hasSize(THREADS).allMatch(b -> b >= 1000 - THREADS && b < 1000);
        assertThat(versions).hasSize(THREADS);
        Wallet stored = wallets.get("w");
        assertThat(stored.balance()).isEqualTo(1000 - THREADS);
        assertThat(stored.version()).as("one version per change").isEqualTo(1 + THREADS);
        assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(THREADS);
        assertThat(commits.get()).as("one transaction per batch").isEqualTo(batchSizes.size());
        assertThat(batchSizes.size()).as("64 callers on one row cannot all have run alone").isLessThan(THREADS);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB", "H2"})
    void aRejectedChangeReachesOnlyItsCallerUnchangedAndTheOthersStillLand(DbKind kind) {
        Database db = counted(kind);
        insert(db, 10);
        Table<Wallet> wallets = db.table(Wallet.class);
        Race.Result<Wallet> r = Race.run(THREADS, i -> wallets.modify("w", w -> w.minus(1)));
        assertThat(r.successes()).isEqualTo(10);
        assertThat(r.failuresOf(InsufficientFunds.class)).isEqualTo(THREADS - 10);
        assertThat(r.failures()).allMatch(f -> f.getClass() == InsufficientFunds.class);
        assertThat(wallets.get("w").balance()).isZero();
        assertThat(wallets.get("w").version()).isEqualTo(11);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB", "H2"})
    void eachAcceptedChangeWritesItsLedgerRowAndTheInvariantHolds(DbKind kind) {
        Database db = counted(kind);
        insert(db, 100);
        Table<Wallet> wallets = db.table(Wallet.class);
        Table<Entry> ledger = db.table(Entry.class);
        Race.Result<Wallet> r = Race.run(THREADS, i -> wallets.modify("w", ledger, (w, addRow) -> {
            long amount = 1 + i % 3;
            Wallet next = w.minus(amount);
            addRow.accept(new Entry(null, "w", amount));
            return next;
        }));
        long acknowledged = 0;
        for (Race.Outcome<Wallet> o : r.outcomes()) {
            if (o.succeeded()) {
                acknowledged += 1 + o.index() % 3;
            } else {
                assertThat(o.failure()).isInstanceOf(InsufficientFunds.class);
            }
        }
        long logged = db.sql("SELECT COALESCE(SUM(amount), 0) FROM m_ledger").one(Long.class);
        long rows = db.sql("SELECT COUNT(*) FROM m_ledger").one(Long.class);
        assertThat(logged).isEqualTo(acknowledged);
        assertThat(rows).isEqualTo(r.successes());
        assertThat(wallets.get("w").balance()).isEqualTo(100 - acknowledged).isNotNegative();
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB", "H2"})
    void aConstraintViolationOfOneChangesRowReachesOnlyThatCaller(DbKind kind) {
        Database db = counted(kind);
        insert(db, 1000);
        Table<Wallet> wallets = db.table(Wallet.class);
        Table<Entry> ledger = db.table(Entry.class);
        Race.Result<Wallet> r = Race.run(THREADS, i -> wallets.modify("w", ledger, (w, addRow) -> {
            addRow.accept(new Entry(null, "w", i == 7 ? -1 : 1)); // the CHECK refuses a negative amount
            return w.minus(1);
        }));
        assertThat(r.successes()).isEqualTo(THREADS - 1);
        assertThat(r.outcomes().get(7).code()).isEqualTo(dev.txkit.ErrorCode.CONSTRAINT_VIOLATION);
        assertThat(wallets.get("w").balance()).isEqualTo(1000 - (THREADS - 1));
        assertThat(db.sql("SELECT COUNT(*) FROM m_ledger").one(Long.class)).isEqualTo(THREADS - 1);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB", "H2"})
    void insideATransactionItRunsInlineAndRollsBackWithIt(DbKind kind) {
        Database db = counted(kind);
        insert(db, 50);
        Table<Wallet> wallets = db.table(Wallet.class);
        List<Wallet> seen = new ArrayList<>();
        assertThatThrownBy(() -> db.useTransaction(tx -> {
            tx.sql("UPDATE m_wallet SET balance = 40 WHERE id = ?", "w").update();
            seen.add(wallets.modify("w", w -> w.minus(5))); // sees the transaction's own write
            seen.add(tx.table(Wallet.class).modify("w", w -> w.minus(5)));
            throw new IllegalStateException("undo all of it");
        })).hasMessage("undo all of it");
        assertThat(seen).extracting(Wallet::balance).containsExactly(35L, 30L);
        assertThat(seen).extracting(Wallet::version).containsExactly(2, 3);
        assertThat(wallets.get("w")).isEqualTo(new Wallet("w", 50, 1));
        assertThat(batchSizes).as("nothing combined inside a transaction").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB", "H2"})
    void aMissingRowIsNotFoundAndAChangeOfTheIdIsRejected(DbKind kind) {
        Database db = counted(kind);
        insert(db, 5);
        Table<Wallet> wallets = db.table(Wallet.class);
        assertThatThrownBy(() -> wallets.modify("nope", w -> w.minus(1)))
                .isInstanceOfSatisfying(dev.txkit.TxkitException.class,
                        e -> assertThat(e.code()).isEqualTo(dev.txkit.ErrorCode.NOT_FOUND));
        assertThatThrownBy(() -> wallets.modify("w", w -> new Wallet("other", 0, w.version())))
                .isInstanceOfSatisfying(dev.txkit.TxkitException.class,
                        e -> assertThat(e.code()).isEqualTo(dev.txkit.ErrorCode.INVALID_ARGUMENT));
        assertThat(wallets.get("w")).isEqualTo(new Wallet("w", 5, 1));
    }
}
