package dev.txkit.it.table;

import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.TxOptions;
import dev.txkit.it.DbIT;
import dev.txkit.retry.RetryPolicy;
import dev.txkit.table.Id;
import dev.txkit.table.Table;
import dev.txkit.table.TableName;
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
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seed 001's cinema: "find the first free seat, then claim it". Without a version two people are
 * told they have seat 3A; with {@code @Version} the second claim is refused, and 100 concurrent
 * bookers for 10 seats end with exactly 10 bookings.
 */
class CinemaIT extends DbIT {

    /** The seat as the unprotected code sees it: no version, last writer wins. */
    @TableName("seat")
    record PlainSeat(@Id Long id, String label, String claimedBy) {
        PlainSeat claimBy(String user) {
            return new PlainSeat(id, label, user);
        }
    }

    /** The same row with its version: a claim only succeeds if nobody claimed it since it was read. */
    record Seat(@Id Long id, String label, String claimedBy, @Version int version) {
        Seat claimBy(String user) {
            return new Seat(id, label, user, version);
        }
    }

    /** Seed 001's "Oh no! Hidden Figures is all booked." */
    static final class SoldOut extends Exception {
        SoldOut() {
            super("Oh no! Hidden Figures is all booked.");
        }
    }

    @BeforeEach
    void seats() {
        for (DbKind kind : List.of(DbKind.POSTGRES, DbKind.MARIADB, DbKind.H2)) {
            schema(kind).execute("DROP TABLE IF EXISTS seat", "CREATE TABLE seat (id " + Ddl.identity(kind)
                    + ", label VARCHAR(5) NOT NULL, claimed_by VARCHAR(20), version INT NOT NULL)");
            Table<Seat> seats = db(kind).table(Seat.class);
            for (int i = 0; i < 10; i++) {
                seats.insert(new Seat(null, "3" + (char) ('A' + i), null, 0));
            }
        }
    }

    private static <S> Interleaving.Script booker(Database db, Class<S> type, String user,
                                                  java.util.function.BiFunction<S, String, S> claim) {
        // READ COMMITTED for the unversioned seats: MariaDB's default REPEATABLE READ would detect the
        // double booking itself (issue 15), which this test shows the version check is there for
        TxOptions options = type == PlainSeat.class ? TxOptions.defaults().withIsolation(dev.txkit.Isolation.READ_COMMITTED)
                : TxOptions.defaults();
        return turn -> db.inTransaction(options, tx -> {
            Table<S> seats = tx.table(type);
            turn.step("find");
            S free = seats.where("claimedBy", null).orderBy("label").first().orElseThrow(SoldOut::new);
            turn.step("claim");
            return seats.update(claim.apply(free, user));
        });
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB", "H2"})
    void withoutAVersionTwoPeopleAreToldTheyHaveTheSameSeat(DbKind kind) {
        Database db = db(kind);
        Interleaving.Result r = Race.interleave()
                .actor("Sorcha", booker(db, PlainSeat.class, "sorcha", PlainSeat::claimBy))
                .actor("Ellen", booker(db, PlainSeat.class, "ellen", PlainSeat::claimBy))
                .order("Sorcha.find", "Ellen.find", "Sorcha.claim", "Ellen.claim")
                .run();
        PlainSeat sorchas = (PlainSeat) r.value("Sorcha");
        PlainSeat ellens = (PlainSeat) r.value("Ellen");
        assertThat(sorchas.label()).isEqualTo("3A");
        assertThat(ellens.label()).as("double-booked").isEqualTo("3A");
        assertThat(db.table(PlainSeat.class).get(sorchas.id()).claimedBy())
                .as("Ellen silently overwrote Sorcha's booking").isEqualTo("ellen");
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB", "H2"})
    void withAVersionTheSecondClaimIsRefused(DbKind kind) {
        Database db = db(kind);
        Interleaving.Result r = Race.interleave()
                .actor("Sorcha", booker(db, Seat.class, "sorcha", Seat::claimBy))
                .actor("Ellen", booker(db, Seat.class, "ellen", Seat::claimBy))
                .order("Sorcha.find", "Ellen.find", "Sorcha.claim", "Ellen.claim")
                .run();
        Seat sorchas = (Seat) r.value("Sorcha");
        assertThat(sorchas.version()).isEqualTo(2);
        assertThat(r.failure("Ellen")).isInstanceOfSatisfying(dev.txkit.TxkitException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.OPTIMISTIC_CONFLICT);
            assertThat(e.httpStatus()).isEqualTo(409);
            assertThat(e.getMessage()).contains("modified by another user").contains("try again");
        });
        assertThat(db.table(Seat.class).get(sorchas.id()).claimedBy()).isEqualTo("sorcha");
        assertThat(db.table(Seat.class).where("claimedBy", dev.txkit.table.Op.NE, null).count()).isEqualTo(1);
    }

    /** A Database with room for 100 threads: a wider pool and waits long enough for a noisy machine. */
    private Database roomy(DbKind kind) {
        TxOptions patient = TxOptions.defaults().withMaxWait(Duration.ofSeconds(20)).withTimeout(Duration.ofSeconds(20));
        return watch(Database.builder(schema(kind).newPool(16)).defaults(patient).build());
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void hundredBookersForTenSeatsMakeExactlyTenBookings(DbKind kind) {
        Database db = roomy(kind);
        // A booker can lose at most once per seat (someone else claimed it), so 12 attempts always reach
        // either a seat or "all booked".
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(12).backoff(Duration.ofMillis(1), Duration.ofMillis(20))
                .maxDuration(Duration.ofSeconds(60)).build();
        Race.Result<Seat> r = Race.run(100, i -> db.optimistic(policy, tx -> {
            Table<Seat> seats = tx.table(Seat.class);
            Seat free = seats.where("claimedBy", null).orderBy("label").first().orElseThrow(SoldOut::new);
            return seats.update(free.claimBy("user" + i));
        }));
        assertThat(r.successes()).isEqualTo(10);
        assertThat(r.failuresOf(SoldOut.class)).as(r.failures().toString()).isEqualTo(90);
        assertNoDoubleBooking(db, r);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void withoutRetryEveryLoserIsToldItsSeatWasTaken(DbKind kind) {
        Database db = roomy(kind);
        Race.Result<Seat> r = Race.run(100, i -> db.inTransaction(tx -> {
            Table<Seat> seats = tx.table(Seat.class);
            Seat free = seats.where("claimedBy", null).orderBy("label").first().orElseThrow(SoldOut::new);
            return seats.update(free.claimBy("user" + i));
        }));
        assertThat(r.successes()).isBetween(1, 10);
        assertThat(r.failuresWith(ErrorCode.OPTIMISTIC_CONFLICT) + r.failuresOf(SoldOut.class))
                .as("every loser gets OPTIMISTIC_CONFLICT or 'all booked': " + r.failures())
                .isEqualTo(100 - r.successes());
        assertNoDoubleBooking(db, r);
    }

    /** Every acknowledged booking is the stored one, and no seat was acknowledged twice. */
    private static void assertNoDoubleBooking(Database db, Race.Result<Seat> r) {
        Set<Long> acknowledged = new HashSet<>();
        for (Seat s : r.values()) {
            assertThat(acknowledged.add(s.id())).as("seat " + s.label() + " acknowledged twice").isTrue();
        }
        Map<Long, String> stored = db.table(Seat.class).where("claimedBy", dev.txkit.table.Op.NE, null).list().stream()
                .collect(Collectors.toMap(Seat::id, Seat::claimedBy));
        assertThat(stored).hasSize(r.successes());
        for (Seat s : r.values()) {
            assertThat(stored.get(s.id())).isEqualTo(s.claimedBy());
        }
    }
}
