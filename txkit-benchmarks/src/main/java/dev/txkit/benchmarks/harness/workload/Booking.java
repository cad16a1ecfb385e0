package dev.txkit.benchmarks.harness.workload;

import dev.txkit.Database;
import dev.txkit.Transaction;
import dev.txkit.benchmarks.harness.Access;
import dev.txkit.benchmarks.harness.Jdbc;
import dev.txkit.benchmarks.harness.Operation;
import dev.txkit.benchmarks.harness.Rejected;
import dev.txkit.benchmarks.harness.Result;
import dev.txkit.table.Id;
import dev.txkit.table.RowLock;
import dev.txkit.table.Table;
import dev.txkit.table.TableName;
import dev.txkit.table.Version;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Book {@code seat} for {@code who} (or, in "any" mode, the first free seat): mark the seat and add a
 * booking row. A seat found taken (or no free seat) is {@link Result#REJECTED}.
 */
final class Booking implements Operation {
    private static final String S = Seats.SEATS;
    private static final String FREE = "SELECT id FROM " + S + " WHERE booked_by IS NULL ORDER BY id LIMIT 1";

    private final SeatCell cell;
    private final String who;
    private long seat;

    Booking(SeatCell cell, long seat, String who) {
        this.cell = cell;
        this.seat = seat;
        this.who = who;
    }

    @Override
    public Result jdbc(Connection c, Access access) throws SQLException {
        if (cell.any()) {
            Long id = Jdbc.queryLong(c, FREE + switch (access) {
                case LOCKING -> " FOR UPDATE";
                case SKIP_LOCKED -> " FOR UPDATE SKIP LOCKED";
                default -> "";
            });
            if (id == null) {
                return Result.REJECTED; // sold out
            }
            seat = id;
            Jdbc.update(c, "UPDATE " + S + " SET booked_by = ? WHERE id = ?", who, seat);
        } else if (access == Access.ATOMIC) {
            if (Jdbc.update(c, "UPDATE " + S + " SET booked_by = ? WHERE id = ? AND booked_by IS NULL", who, seat) == 0) {
                return Result.REJECTED;
            }
        } else if (access == Access.VERSIONED) {
            long[] version = Jdbc.queryTwoLongs(c, "SELECT CASE WHEN booked_by IS NULL THEN 0 ELSE 1 END, version FROM "
                    + S + " WHERE id = ?", seat);
            if (version[0] == 1) {
                return Result.REJECTED;
            }
            if (Jdbc.update(c, "UPDATE " + S + " SET booked_by = ?, version = version + 1 WHERE id = ? AND version = ?",
                    who, seat, version[1]) == 0) {
                return Result.CONFLICT;
            }
        } else {
            String holder = Jdbc.queryString(c, "SELECT booked_by FROM " + S + " WHERE id = ?"
                    + (access == Access.LOCKING ? " FOR UPDATE" : ""), null, seat);
            if (holder != null) {
                return Result.REJECTED;
            }
            Jdbc.update(c, "UPDATE " + S + " SET booked_by = ? WHERE id = ?", who, seat);
        }
        Jdbc.update(c, "INSERT INTO " + Seats.BOOKINGS + " (seat_id, who) VALUES (?, ?)", seat, who);
        return Result.DONE;
    }

    @Override
    public Result txkit(Transaction tx, Access access) {
        if (access == Access.PLAIN) {
            if (cell.any()) {
                Optional<Long> id = tx.sql(FREE).optional(Long.class);
                if (id.isEmpty()) {
                    return Result.REJECTED;
                }
                seat = id.get();
            } else if (tx.sql("SELECT count(*) FROM " + S + " WHERE id = ? AND booked_by IS NOT NULL", seat)
                    .one(Long.class) > 0) {
                return Result.REJECTED;
            }
            tx.sql("UPDATE " + S + " SET booked_by = ? WHERE id = ?", who, seat).update();
        } else {
            Table<Seat> seats = tx.table(Seat.class);
            Optional<Seat> s = cell.any()
                    ? seats.where("bookedBy", null).orderBy("id")
                            .lockFirst(access == Access.SKIP_LOCKED ? RowLock.SKIP_LOCKED : RowLock.WAIT)
                    : Optional.of(access == Access.LOCKING ? seats.getForUpdate(seat) : seats.get(seat));
            if (s.isEmpty() || s.get().bookedBy() != null) {
                return Result.REJECTED;
            }
            seat = s.get().id();
            seats.update(new Seat(seat, who, s.get().version())); // version-checked
        }
        tx.sql("INSERT INTO " + Seats.BOOKINGS + " (seat_id, who) VALUES (?, ?)", seat, who).update();
        return Result.DONE;
    }

    @Override
    public Result modify(Database db) {
        try {
            db.table(Seat.class).modify(seat, db.table(BookingRow.class), (s, addRow) -> {
                if (s.bookedBy() != null) {
                    throw new Rejected();
                }
                addRow.accept(new BookingRow(seat, who)); // inserted only if this change is accepted
                return new Seat(s.id(), who, s.version());
            });
            return Result.DONE;
        } catch (Rejected taken) {
            return Result.REJECTED;
        }
    }

    @Override
    public void acknowledge(Result result) {
        if (result == Result.DONE) {
            cell.acknowledged().incrementAndGet();
            cell.acksPerSeat().incrementAndGet((int) seat);
        }
        if (!cell.any() && seat > 0) {
            cell.seen(seat);
        }
    }

    /** A booking row as txkit's {@code Table} maps it (the table has no key of its own: {@code @Id} only names a column). */
    @TableName(Seats.BOOKINGS)
    public record BookingRow(@Id long seatId, String who) {
    }

    /** A seat row as txkit's {@code Table} maps it. */
    @TableName(Seats.SEATS)
    public record Seat(@Id long id, String bookedBy, @Version long version) {
    }
}
