package dev.txkit.it.readme;

import dev.txkit.Database;
import dev.txkit.it.DbIT;
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
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The README's hot-key combining block ({@code Table.modify}) on PostgreSQL and MariaDB: run by
 * several threads at once on one row, every change lands exactly once with its own version and its
 * ledger row; a change that throws reaches its caller unchanged and writes nothing.
 */
class ReadmeHotRowsIT extends DbIT {
    private static final int CALLERS = 6;

    record Wallet(@Id String id, long balance, @Version int version) {
        Wallet minus(long amount) throws InsufficientFunds {
            if (balance < amount) {
                throw new InsufficientFunds(balance, amount);
            }
            return new Wallet(id, balance - amount, version);
        }
    }

    @TableName("ledger")
    record Entry(@Id Long id, String wallet, long amount) {
    }

    /** The application's own checked exception, which {@code modify} passes on as it is. */
    static final class InsufficientFunds extends Exception {
        InsufficientFunds(long balance, long amount) {
            super("balance " + balance + " < " + amount);
        }
    }

    @BeforeEach
    void tables() {
        for (DbKind kind : available(DbKind.POSTGRES, DbKind.MARIADB)) {
            schema(kind).execute("DROP TABLE IF EXISTS wallet", "DROP TABLE IF EXISTS ledger",
                    "CREATE TABLE wallet (id VARCHAR(10) PRIMARY KEY, balance BIGINT NOT NULL, version INT NOT NULL)",
                    "CREATE TABLE ledger (id " + Ddl.identity(kind) + ", wallet VARCHAR(10) NOT NULL, amount BIGINT NOT NULL)",
                    "INSERT INTO wallet VALUES ('w1', " + (200 * CALLERS + 100) + ", 1), ('poor', 50, 1)");
        }
    }

    static List<Wallet> debitTwice(Table<Wallet> wallets, Table<Entry> ledger, String id) throws InsufficientFunds {
        // tag::modify[]
        Wallet w = wallets.modify(id, current -> current.minus(100));       // throws InsufficientFunds to reject
        Wallet v = wallets.modify(id, ledger, (current, addRow) -> {         // with a ledger row per change
            addRow.accept(new Entry(null, id, 100));
            return current.minus(100);
        });
        // end::modify[]
        return List.of(w, v);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void concurrentChangesOfOneRowEachLandOnceWithTheirOwnVersion(DbKind kind) {
        Database db = db(kind);
        Table<Wallet> wallets = db.table(Wallet.class);
        Table<Entry> ledger = db.table(Entry.class);

        Race.Result<List<Wallet>> r = Race.run(CALLERS, Duration.ofSeconds(60), i -> debitTwice(wallets, ledger, "w1"));

        assertThat(r.failures()).isEmpty();
        List<Integer> versions = r.values().stream().flatMap(List::stream).map(Wallet::version).toList();
        assertThat(versions).as("one version per change, 2 … 13").doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.rangeClosed(2, 2 * CALLERS + 1).boxed().toList());
        assertThat(wallets.get("w1")).isEqualTo(new Wallet("w1", 100, 2 * CALLERS + 1));
        assertThat(ledger.where("wallet", "w1").count()).as("one ledger row per second change").isEqualTo(CALLERS);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void aRejectedChangeReachesItsCallerAndWritesNothing(DbKind kind) {
        Database db = db(kind);
        Table<Wallet> wallets = db.table(Wallet.class);

        Throwable rejected = catchThrowable(() -> debitTwice(wallets, db.table(Entry.class), "poor"));

        assertThat(rejected).isInstanceOf(InsufficientFunds.class).hasMessage("balance 50 < 100");
        assertThat(wallets.get("poor")).isEqualTo(new Wallet("poor", 50, 1));
        assertThat(db.table(Entry.class).count()).isZero();
    }
}
