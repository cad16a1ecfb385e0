package dev.txkit.cli;

import dev.txkit.table.Id;
import dev.txkit.table.Table;
import dev.txkit.table.TableName;
import dev.txkit.table.UpdateResult;
import dev.txkit.table.Version;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

/**
 * Seed 001's cinema: two users book seat 3A at the same moment. Both see it free (a barrier makes
 * sure), so without protection both are told they have it. With a {@code @Version} column the
 * second write finds a newer version and that user is told the seat was just taken.
 */
final class SeatsScenario implements Scenario {
    static final int USERS = 2;

    @TableName("demo_seat")
    record Seat(@Id String id, String bookedBy, @Version int version) {
        Seat bookedBy(String user) {
            return new Seat(id, user, version);
        }
    }

    @Override
    public String name() {
        return "seats";
    }

    @Override
    public List<Outcome> run(DemoContext ctx) throws Exception {
        ctx.ddl("DROP TABLE IF EXISTS demo_seat",
                "CREATE TABLE demo_seat (id VARCHAR(8) PRIMARY KEY, booked_by VARCHAR(40), version INT NOT NULL)");
        try {
            return List.of(naive(ctx), versioned(ctx));
        } finally {
            ctx.ddl("DROP TABLE IF EXISTS demo_seat");
        }
    }

    private static void reset(DemoContext ctx) throws Exception {
        ctx.ddl("DELETE FROM demo_seat", "INSERT INTO demo_seat VALUES ('3A', NULL, 1)");
    }

    private Outcome naive(DemoContext ctx) throws Exception {
        reset(ctx);
        CyclicBarrier bothLooked = new CyclicBarrier(USERS);
        long start = System.nanoTime();
        List<Concurrently.Result<Boolean>> told = Concurrently.run(USERS, i -> {
            try (Connection c = ctx.raw.getConnection()) {
                boolean free;
                try (PreparedStatement ps = c.prepareStatement("SELECT booked_by FROM demo_seat WHERE id = '3A'");
                     ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    free = rs.getString(1) == null;
                }
                bothLooked.await(10, TimeUnit.SECONDS);
                if (!free) {
                    return false;
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE demo_seat SET booked_by = ? WHERE id = '3A'")) {
                    ps.setString(1, "user" + i);
                    ps.executeUpdate();
                }
                return true;
            }
        });
        int confirmed = (int) told.stream().filter(r -> Boolean.TRUE.equals(r.value())).count();
        String holder = ctx.db.sql("SELECT booked_by FROM demo_seat WHERE id = '3A'").one(String.class);
        return Outcome.naive(name(), "check-then-act", USERS, confirmed - 1, Concurrently.millisSince(start),
                confirmed + " users were told seat 3A is theirs; it belongs to " + holder);
    }

    private Outcome versioned(DemoContext ctx) throws Exception {
        reset(ctx);
        CyclicBarrier bothLooked = new CyclicBarrier(USERS);
        long start = System.nanoTime();
        List<Concurrently.Result<String>> told = Concurrently.run(USERS, i -> ctx.db.inTransaction(tx -> {
            Table<Seat> seats = tx.table(Seat.class);
            Seat seat = seats.get("3A");
            bothLooked.await(10, TimeUnit.SECONDS);
            if (seat.bookedBy() != null) {
                return "taken";
            }
            UpdateResult<Seat> result = seats.tryUpdate(seat.bookedBy("user" + i));
            if (result instanceof UpdateResult.Updated) {
                return "booked";
            }
            if (result instanceof UpdateResult.Conflict<Seat> conflict) {
                return "taken by " + conflict.current().bookedBy();
            }
            return "gone";
        }));
        int confirmed = (int) told.stream().filter(r -> "booked".equals(r.value())).count();
        String loser = told.stream().map(Concurrently.Result::value).filter(v -> v != null && v.startsWith("taken"))
                .findFirst().orElse("nobody");
        int anomalies = Math.abs(confirmed - 1) + WalletScenario.failures(told);
        return Outcome.txkit(name(), "@Version", USERS, anomalies, Concurrently.millisSince(start),
                confirmed + " booking; the other user was told: seat 3A was just " + loser + " — pick another seat");
    }
}
