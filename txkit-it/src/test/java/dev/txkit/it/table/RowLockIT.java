package dev.txkit.it.table;

import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.it.DbIT;
import dev.txkit.retry.RetryPolicy;
import dev.txkit.table.Id;
import dev.txkit.table.RowLock;
import dev.txkit.table.Table;
import dev.txkit.table.Version;
import dev.txkit.testing.DbKind;
import dev.txkit.testing.Interleaving;
import dev.txkit.testing.Race;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static dev.txkit.it.table.TableCrudITSupport.assertCode;
import static org.assertj.core.api.Assertions.assertThat;

/** Pessimistic control: getForUpdate with WAIT / NOWAIT, and SKIP LOCKED as a seat queue. */
class RowLockIT extends DbIT {
    static final TxOptions ONCE = TxOptions.defaults().withRetry(RetryPolicy.none());

    record Seat(@Id Long id, String label, String status, @Version int version) {
        Seat with(String newStatus) {
            return new Seat(id, label, newStatus, version);
        }
    }

    @BeforeEach
    void seats() {
        for (DbKind kind : available(DbKind.values())) {
            schema(kind).execute("DROP TABLE IF EXISTS seat", "CREATE TABLE seat (id BIGINT PRIMARY KEY,"
                    + " label VARCHAR(5) NOT NULL, status VARCHAR(10) NOT NULL, version INT NOT NULL)",
                    // A queue needs an index on its criteria and order: MariaDB and H2 lock every row a
                    // locking read scans, so without it the first taker would lock the whole table.
                    "CREATE INDEX seat_queue ON seat (status, label)");
            Table<Seat> seats = db(kind).table(Seat.class);
            for (long i = 1; i <= 5; i++) {
                seats.insert(new Seat(i, "3" + (char) ('A' + i - 1), "free", 1));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB", "H2"})
    void nowaitOnALockedRowFailsAtOnceWithLockTimeout(DbKind kind) {
        Database db = db(kind);
        Interleaving.Result r = Race.interleave()
                .actor("holder", t -> db.inTransaction(ONCE, tx -> {
                    t.step("lock");
                    Seat s = tx.table(Seat.class).getForUpdate(1L);
                    t.step("commit");
                    return tx.table(Seat.class).update(s.with("taken"));
                }))
                .actor("impatient", t -> {
                    t.step("try");
                    long start = System.nanoTime();
                    try {
                        return db.inTransaction(ONCE, tx -> tx.table(Seat.class).getForUpdate(1L, RowLock.NOWAIT));
                    } finally {
                        long ms = (System.nanoTime() - start) / 1_000_000;
                        // far below the 5 s transaction timeout and the database's lock wait timeout
                        assertThat(ms).as("NOWAIT must not wait").isLessThan(2_000);
                    }
                })
                .order("holder.lock", "impatient.try", "holder.commit").run();
        assertThat(r.failure("impatient")).isInstanceOfSatisfying(TxkitException.class, e -> {
            assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.LOCK_TIMEOUT);
            assertThat(e.httpStatus()).isEqualTo(409);
        });
        assertThat(r.failure("holder")).isNull();
        assertThat(db.table(Seat.class).get(1L).status()).isEqualTo("taken");
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB", "H2"})
    void waitBlocksUntilTheHolderCommitsAndThenSeesItsWrite(DbKind kind) {
        Database db = db(kind);
        Interleaving.Result r = Race.interleave()
                .actor("holder", t -> db.inTransaction(ONCE, tx -> {
                    t.step("lock");
                    Seat s = tx.table(Seat.class).getForUpdate(1L);
                    return tx.table(Seat.class).update(s.with("taken"));
                }))
                .actor("waiter", t -> {
                    t.step("read");
                    return db.inTransaction(ONCE, tx -> tx.table(Seat.class).getForUpdate(1L));
                })
                .order("holder.lock", "waiter.read").run();
        assertThat(((Seat) r.value("waiter")).status()).isEqualTo("taken");
        assertThat(((Seat) r.value("waiter")).version()).isEqualTo(2);
    }

    /** Not H2: it locks every row a locking query reads before applying the limit, so B would find none. */
    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void skipLockedHandsTheNextFreeSeat(DbKind kind) {
        Database db = db(kind);
        Interleaving.Result r = Race.interleave()
                .actor("A", t -> db.inTransaction(ONCE, tx -> {
                    t.step("take");
                    Seat s = tx.table(Seat.class).where("status", "free").orderBy("label").lockFirst(RowLock.SKIP_LOCKED)
                            .orElseThrow();
                    t.step("book");
                    return tx.table(Seat.class).update(s.with("taken"));
                }))
                .actor("B", t -> db.inTransaction(ONCE, tx -> {
                    t.step("take");
                    return tx.table(Seat.class).where("status", "free").orderBy("label").lockFirst(RowLock.SKIP_LOCKED)
                            .map(s -> tx.table(Seat.class).update(s.with("taken"))).orElseThrow();
                }))
                .order("A.take", "B.take", "A.book").run();
        assertThat(((Seat) r.value("A")).label()).isEqualTo("3A");
        assertThat(((Seat) r.value("B")).label()).as("A's locked seat was skipped, not waited for").isEqualTo("3B");
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void aSkipLockedQueueGivesEveryWorkerADifferentSeatWithoutConflicts(DbKind kind) {
        Database db = db(kind);
        Race.Result<Optional<Seat>> r = Race.run(8, Duration.ofSeconds(60), i -> db.inTransaction(ONCE, tx -> {
            Table<Seat> seats = tx.table(Seat.class);
            return seats.where("status", "free").orderBy("label").lockFirst(RowLock.SKIP_LOCKED)
                    .map(s -> seats.update(s.with("taken")));
        }));
        assertThat(r.failures()).isEmpty();
        Set<String> labels = new HashSet<>();
        r.values().stream().flatMap(Optional::stream).forEach(s -> assertThat(labels.add(s.label())).isTrue());
        assertThat(labels).hasSizeLessThanOrEqualTo(5);
        assertThat(db.table(Seat.class).where("status", "taken").count()).isEqualTo(labels.size());
        assertThat(db.table(Seat.class).where("status", "taken").list()).allSatisfy(s -> assertThat(s.version()).isEqualTo(2));
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void lockingOutsideATransactionIsMisuse(DbKind kind) {
        Database db = db(kind);
        ErrorCode expected = kind == DbKind.SQLITE ? ErrorCode.UNSUPPORTED : ErrorCode.MISUSE;
        assertCode(() -> db.table(Seat.class).getForUpdate(1L), expected);
        assertCode(() -> db.table(Seat.class).where("status", "free").lock(RowLock.WAIT), expected);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = "SQLITE")
    void sqliteHasNoRowLocksAndSaysSo(DbKind kind) {
        Database db = db(kind);
        TxkitException e = assertCode(() -> db.useTransaction(tx -> tx.table(Seat.class).getForUpdate(1L, RowLock.NOWAIT)),
                ErrorCode.UNSUPPORTED);
        assertThat(e.getMessage()).contains("SQLite has no row locks").contains("@Version");
        assertCode(() -> db.useTransaction(tx -> tx.table(Seat.class).query().lockFirst(RowLock.SKIP_LOCKED)),
                ErrorCode.UNSUPPORTED);
        // optimistic retry still works there: escalation is simply not applied
        Seat s = db.optimistic(RetryPolicy.defaults(), tx -> tx.table(Seat.class).update(tx.table(Seat.class).get(1L)
                .with("taken")));
        assertThat(s.version()).isEqualTo(2);
        assertThat(List.of(db.table(Seat.class).get(1L).status())).containsExactly("taken");
    }
}
