package dev.txkit.cli;

import dev.txkit.IdempotencyKey;
import dev.txkit.ResultCodec;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Seed 001's subscription upgrade (the Slack/Stripe example): charge the team, then call a flaky
 * external service to switch the plan. The call fails once; the client runs the whole operation
 * again. Without an idempotency key the team is charged twice. With one, the charge and the key
 * commit together, the failed run left nothing behind, and a duplicate request afterwards gets the
 * stored receipt without charging again.
 */
final class IdempotentScenario implements Scenario {

    @Override
    public String name() {
        return "idempotent";
    }

    /** The external plan service: fails on its first call. */
    static final class FlakyPlanService {
        private final AtomicInteger calls = new AtomicInteger();

        void upgrade(int team) {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("plan service timed out");
            }
        }
    }

    @Override
    public List<Outcome> run(DemoContext ctx) throws Exception {
        ctx.ddl("DROP TABLE IF EXISTS demo_charge",
                "CREATE TABLE demo_charge (team INT NOT NULL, amount BIGINT NOT NULL, note VARCHAR(40))");
        try {
            return List.of(naive(ctx), keyed(ctx));
        } finally {
            ctx.ddl("DROP TABLE IF EXISTS demo_charge");
        }
    }

    private static int charges(DemoContext ctx) {
        return ctx.db.sql("SELECT COUNT(*) FROM demo_charge WHERE team = 1").one(Integer.class);
    }

    private Outcome naive(DemoContext ctx) throws Exception {
        ctx.ddl("DELETE FROM demo_charge");
        FlakyPlanService plans = new FlakyPlanService();
        long start = System.nanoTime();
        int runs = 0;
        for (boolean done = false; !done; ) {
            runs++;
            try (Connection c = ctx.raw.getConnection();
                 PreparedStatement ps = c.prepareStatement("INSERT INTO demo_charge VALUES (1, 800, 'pro plan')")) {
                ps.executeUpdate(); // charged (autocommit)
                plans.upgrade(1);
                done = true;
            } catch (IllegalStateException e) {
                // the client sees a failure and simply tries the whole operation again
            }
        }
        int charged = charges(ctx);
        return Outcome.naive(name(), "plain retry", runs, charged - 1, Concurrently.millisSince(start),
                "the plan call failed once and the retry charged again: " + charged + " charges for one upgrade");
    }

    private Outcome keyed(DemoContext ctx) throws Exception {
        ctx.ddl("DELETE FROM demo_charge");
        FlakyPlanService plans = new FlakyPlanService();
        IdempotencyKey key = IdempotencyKey.of("upgrade-team-1-" + System.nanoTime()).withRequest("plan=pro");
        long start = System.nanoTime();
        int runs = 0;
        String receipt = null;
        while (receipt == null) {
            runs++;
            try {
                receipt = ctx.db.idempotent(key, ResultCodec.text(), tx -> {
                    tx.sql("INSERT INTO demo_charge VALUES (1, 800, 'pro plan')").update();
                    plans.upgrade(1);
                    return "receipt-" + System.nanoTime();
                });
            } catch (IllegalStateException e) {
                // same as the naive client: try again, but with the same key
            }
        }
        runs++;
        String duplicate = ctx.db.idempotent(key, ResultCodec.text(), tx -> {
            tx.sql("INSERT INTO demo_charge VALUES (1, 800, 'pro plan')").update();
            return "a second receipt";
        });
        int charged = charges(ctx);
        int anomalies = Math.abs(charged - 1) + (duplicate.equals(receipt) ? 0 : 1);
        return Outcome.txkit(name(), "idempotency key", runs, anomalies, Concurrently.millisSince(start),
                charged + " charge; the failed run rolled back with its key, and a duplicate request got the stored receipt");
    }
}
