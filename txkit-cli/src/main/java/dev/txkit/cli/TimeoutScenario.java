package dev.txkit.cli;

import dev.txkit.ErrorCode;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/**
 * Seed 002's P2028: a transaction that runs past its budget. Plain JDBC has no deadline and holds
 * its connection (and locks) for as long as the work takes; txkit cancels the statement at the
 * deadline, rolls back, and says so.
 */
final class TimeoutScenario implements Scenario {
    static final Duration BUDGET = Duration.ofMillis(500);
    static final double WORK_SECONDS = 2.5;

    @Override
    public String name() {
        return "timeout";
    }

    @Override
    public List<Outcome> run(DemoContext ctx) throws Exception {
        return List.of(naive(ctx), txkit(ctx));
    }

    /** Whole seconds spent past the budget. */
    static int stalledSeconds(long millis) {
        return (int) Math.max(0, (millis - BUDGET.toMillis()) / 1000);
    }

    private Outcome naive(DemoContext ctx) throws Exception {
        long start = System.nanoTime();
        try (Connection c = ctx.raw.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute(ctx.sleep(WORK_SECONDS));
            c.commit();
            c.setAutoCommit(true);
        }
        long millis = Concurrently.millisSince(start);
        return Outcome.naive(name(), "no deadline", 1, stalledSeconds(millis), millis,
                "ran " + millis + " ms against a " + BUDGET.toMillis() + " ms budget; nothing stopped it");
    }

    private Outcome txkit(DemoContext ctx) {
        long start = System.nanoTime();
        String message;
        boolean timedOut;
        try {
            ctx.db.useTransaction(TxOptions.defaults().withTimeout(BUDGET), tx -> tx.sql(ctx.sleep(WORK_SECONDS)).list(Object.class));
            message = "the transaction was not stopped";
            timedOut = false;
        } catch (TxkitException e) {
            message = e.getMessage();
            timedOut = e.code() == ErrorCode.TIMEOUT;
        }
        long millis = Concurrently.millisSince(start);
        return Outcome.txkit(name(), "timeout 500ms", 1, stalledSeconds(millis) + (timedOut ? 0 : 1), millis, message);
    }
}
