package dev.txkit.benchmarks.harness.workload;

import dev.txkit.benchmarks.harness.Env;
import dev.txkit.benchmarks.harness.Jdbc;
import dev.txkit.benchmarks.harness.Workload;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/** One W3 cell: the shared frontier of "this seat" clients, the acknowledged bookings and the check. */
record SeatCell(boolean any, AtomicLong frontier, AtomicLong acknowledged, AtomicIntegerArray acksPerSeat)
        implements Workload.Cell {

    @Override
    public Workload.Client client(int index) {
        Keys keys = new Keys(Seats.WINDOW, 0, 0x5EA7_0000L + index);
        return () -> {
            String who = "client-" + index;
            if (any) {
                return new Booking(this, 0, who);
            }
            long seat = Math.min(Seats.S, frontier.get() + keys.next() - 1);
            return new Booking(this, seat, who);
        };
    }

    /** A booking or a "taken" answer for {@code seat} committed: move the frontier past what is surely gone. */
    void seen(long seat) {
        frontier.accumulateAndGet(seat - Seats.WINDOW / 2 + 1, Math::max);
    }

    @Override
    public Workload.Invariant check(Env env) throws SQLException {
        String s = Seats.SEATS;
        String b = Seats.BOOKINGS;
        long rows;
        long doubled;
        long booked;
        long free;
        long mismatched;
        try (Connection c = env.pool.getConnection()) {
            rows = Jdbc.queryLong(c, "SELECT count(*) FROM " + b);
            doubled = Jdbc.queryLong(c, "SELECT count(*) FROM (SELECT seat_id FROM " + b
                    + " GROUP BY seat_id HAVING count(*) > 1) d");
            booked = Jdbc.queryLong(c, "SELECT count(*) FROM " + s + " WHERE booked_by IS NOT NULL");
            free = Jdbc.queryLong(c, "SELECT count(*) FROM " + s + " WHERE booked_by IS NULL");
            mismatched = Jdbc.queryLong(c, "SELECT count(*) FROM " + b + " JOIN " + s + " ON " + s + ".id = " + b
                    + ".seat_id WHERE " + s + ".booked_by IS NULL OR " + s + ".booked_by <> " + b + ".who");
        }
        int ackedTwice = 0;
        for (int i = 1; i <= Seats.S; i++) {
            if (acksPerSeat.get(i) > 1) {
                ackedTwice++;
            }
        }
        long acks = acknowledged.get();
        boolean ok = doubled == 0 && ackedTwice == 0 && rows == acks && booked == rows && mismatched == 0
                && booked + free == Seats.S;
        return new Workload.Invariant(ok, ok ? acks + " bookings, none doubled"
                : ackedTwice + " seats acknowledged to two clients, " + doubled + " seats with two booking rows, "
                        + rows + " booking rows for " + acks + " acknowledged, " + booked + " booked + " + free
                        + " free of " + Seats.S + ", " + mismatched + " rows not matching their seat");
    }
}
