package dev.txkit.cli;

import dev.txkit.Isolation;
import dev.txkit.TxOptions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Seed 001: Alice has 100 and sends 100 to Bob twice at the same moment. Both checks see 100
 * (a barrier forces it), so without protection both transfers go through and Alice ends at -100.
 * With txkit the transfer runs SERIALIZABLE; the loser's conflict is retried, sees 0, and is
 * refused for insufficient funds.
 */
final class TransferScenario implements Scenario {
    static final int TRANSFERS = 2;

    @Override
    public String name() {
        return "transfer";
    }

    @Override
    public List<Outcome> run(DemoContext ctx) throws Exception {
        ctx.ddl("DROP TABLE IF EXISTS demo_account",
                "CREATE TABLE demo_account (name VARCHAR(20) PRIMARY KEY, balance BIGINT NOT NULL)");
        try {
            return List.of(naive(ctx), serializable(ctx));
        } finally {
            ctx.ddl("DROP TABLE IF EXISTS demo_account");
        }
    }

    private static void reset(DemoContext ctx) throws Exception {
        ctx.ddl("DELETE FROM demo_account", "INSERT INTO demo_account VALUES ('alice', 100)",
                "INSERT INTO demo_account VALUES ('bob', 0)");
    }

    /** Overdrafts: how far below zero Alice went, in transfers; plus any money created or destroyed. */
    private static int anomalies(DemoContext ctx) {
        long alice = ctx.db.sql("SELECT balance FROM demo_account WHERE name = 'alice'").one(Long.class);
        long total = ctx.db.sql("SELECT SUM(balance) FROM demo_account").one(Long.class);
        int overdrafts = alice < 0 ? (int) (-alice / 100) : 0;
        return overdrafts + (total == 100 ? 0 : 1);
    }

    private Outcome naive(DemoContext ctx) throws Exception {
        reset(ctx);
        CyclicBarrier bothChecked = new CyclicBarrier(TRANSFERS);
        long start = System.nanoTime();
        Concurrently.run(TRANSFERS, i -> {
            try (Connection c = ctx.raw.getConnection()) {
                c.setAutoCommit(false);
                long balance;
                try (PreparedStatement ps = c.prepareStatement("SELECT balance FROM demo_account WHERE name = 'alice'");
                     ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    balance = rs.getLong(1);
                }
                bothChecked.await(10, TimeUnit.SECONDS);
                if (balance >= 100) {
                    try (PreparedStatement ps = c.prepareStatement(
                            "UPDATE demo_account SET balance = balance - 100 WHERE name = 'alice'")) {
                        ps.executeUpdate();
                    }
                    try (PreparedStatement ps = c.prepareStatement(
                            "UPDATE demo_account SET balance = balance + 100 WHERE name = 'bob'")) {
                        ps.executeUpdate();
                    }
                }
                c.commit();
            }
            return null;
        });
        int bad = anomalies(ctx);
        long alice = ctx.db.sql("SELECT balance FROM demo_account WHERE name = 'alice'").one(Long.class);
        return Outcome.naive(name(), "check-then-act", TRANSFERS, bad, Concurrently.millisSince(start),
                "both transfers passed the balance check; Alice ended at " + alice);
    }

    static final class InsufficientFunds extends Exception {
        private static final long serialVersionUID = 1L;

        InsufficientFunds() {
            super("insufficient funds");
        }
    }

    private Outcome serializable(DemoContext ctx) throws Exception {
        reset(ctx);
        CyclicBarrier bothChecked = new CyclicBarrier(TRANSFERS);
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger retried = new AtomicInteger();
        TxOptions options = TxOptions.defaults().withIsolation(Isolation.SERIALIZABLE).withRetry(
                TxOptions.defaults().retry().toBuilder().onRetry((n, d, e) -> retried.incrementAndGet()).build());
        long start = System.nanoTime();
        List<Concurrently.Result<Object>> results = Concurrently.run(TRANSFERS, i -> {
            boolean[] first = {true};
            try {
                ctx.db.useTransaction(options, tx -> {
                    long balance = tx.sql("SELECT balance FROM demo_account WHERE name = 'alice'").one(Long.class);
                    if (first[0]) {
                        first[0] = false;
                        bothChecked.await(10, TimeUnit.SECONDS);
                    }
                    if (balance < 100) {
                        throw new InsufficientFunds();
                    }
                    tx.sql("UPDATE demo_account SET balance = balance - 100 WHERE name = 'alice'").update();
                    tx.sql("UPDATE demo_account SET balance = balance + 100 WHERE name = 'bob'").update();
                });
            } catch (InsufficientFunds e) {
                refused.incrementAndGet();
            }
            return null;
        });
        int bad = anomalies(ctx) + WalletScenario.failures(results) + (refused.get() == 1 ? 0 : 1);
        return Outcome.txkit(name(), "serializable", TRANSFERS, bad, Concurrently.millisSince(start),
                "1 transfer, " + refused.get() + " refused for insufficient funds after " + retried.get()
                        + " retried conflict(s); total conserved");
    }
}
