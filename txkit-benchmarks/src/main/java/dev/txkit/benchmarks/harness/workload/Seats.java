package dev.txkit.benchmarks.harness.workload;

import dev.txkit.benchmarks.harness.Access;
import dev.txkit.benchmarks.harness.Env;
import dev.txkit.benchmarks.harness.Workload;

import java.sql.SQLException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * W3: S seats, booked one per operation. "this seat" ({@code W3-seat}): every client asks for one of the
 * 8 front-most seats it believes free (a shared frontier that moves as seats go), so many clients want
 * the same seat and all but one must be told it is taken. "any free seat" ({@code W3-any}): take the
 * first free seat, a queue ({@code FOR UPDATE SKIP LOCKED} is the tool). The booking table has no
 * unique key, so a double booking shows. Invariant: no seat booked twice, one booking row per
 * acknowledged success, each booked seat matches its booking row, booked + free = S.
 *
 * <p>Immutable; each cell's state is thread-safe.
 */
public final class Seats implements Workload {
    static final String SEATS = "bench_seat";
    static final String BOOKINGS = "bench_booking";
    static final int S = 30_000;
    /** How many seats past the frontier a "this seat" client picks from. */
    static final int WINDOW = 8;
    private static final Set<Access> THIS = EnumSet.of(Access.PLAIN, Access.LOCKING, Access.VERSIONED, Access.ATOMIC,
            Access.MODIFY);
    private static final Set<Access> ANY = EnumSet.of(Access.PLAIN, Access.LOCKING, Access.SKIP_LOCKED);

    private final boolean any;

    /** {@code any}: "any free seat" mode; else "this seat". */
    public Seats(boolean any) {
        this.any = any;
    }

    @Override
    public String name() {
        return any ? "W3-any" : "W3-seat";
    }

    @Override
    public int rows() {
        return S;
    }

    @Override
    public double theta() {
        return 0;
    }

    @Override
    public boolean supports(Access access) {
        return (any ? ANY : THIS).contains(access);
    }

    @Override
    public List<String> tables() {
        return List.of(SEATS, BOOKINGS);
    }

    @Override
    public void setup(Env env) throws SQLException {
        if (env.hasRows(SEATS, S)) {
            return; // made by the other W3 workload of this run
        }
        drop(env);
        env.execute("CREATE TABLE " + SEATS + " (id BIGINT PRIMARY KEY, booked_by VARCHAR(40), version BIGINT NOT NULL)",
                // the queue's index: free seats in id order (MariaDB needs it for SKIP LOCKED to skip, not scan)
                "CREATE INDEX " + SEATS + "_free ON " + SEATS + " (booked_by, id)",
                "CREATE TABLE " + BOOKINGS + " (seat_id BIGINT NOT NULL, who VARCHAR(40) NOT NULL)");
        env.insertIds("INSERT INTO " + SEATS + " VALUES (?, NULL, 1)", S);
    }

    @Override
    public void drop(Env env) throws SQLException {
        env.execute("DROP TABLE IF EXISTS " + BOOKINGS, "DROP TABLE IF EXISTS " + SEATS);
    }

    @Override
    public Cell start(Env env) throws SQLException {
        env.execute("DELETE FROM " + BOOKINGS, "UPDATE " + SEATS + " SET booked_by = NULL WHERE booked_by IS NOT NULL");
        AtomicLong frontier = new AtomicLong(1);
        AtomicLong acknowledged = new AtomicLong();
        AtomicIntegerArray acksPerSeat = new AtomicIntegerArray(S + 1);
        return new SeatCell(any, frontier, acknowledged, acksPerSeat);
    }
}
