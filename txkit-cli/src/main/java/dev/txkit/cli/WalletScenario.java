package dev.txkit.cli;

import dev.txkit.retry.RetryPolicy;
import dev.txkit.table.Id;
import dev.txkit.table.Table;
import dev.txkit.table.TableName;
import dev.txkit.table.Version;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Seed 000: several deductions from one wallet at once ({@code Promise.all}). Every worker reads the
 * balance before any writes (a barrier forces it), so the unprotected read-modify-write loses all
 * but one deduction; txkit's version check + retry and its locking read lose none.
 */
final class WalletScenario implements Scenario {
    static final int WORKERS = 8;
    static final long START = 100;
    static final long AMOUNT = 10;

    @Override
    public String name() {
        return "wallet";
    }

    @Override
    public List<Outcome> run(DemoContext ctx) throws Exception {
        ctx.ddl("DROP TABLE IF EXISTS demo_wallet",
                "CREATE TABLE demo_wallet (id INT PRIMARY KEY, balance BIGINT NOT NULL, version INT NOT NULL)");
        try {
            return List.of(naive(ctx), optimistic(ctx), pessimistic(ctx));
        } finally {
            ctx.ddl("DROP TABLE IF EXISTS demo_wallet");
        }
    }

    private static void reset(DemoContext ctx) throws Exception {
        ctx.ddl("DELETE FROM demo_wallet", "INSERT INTO demo_wallet VALUES (1, " + START + ", 1)");
    }

    private static int lostUpdates(DemoContext ctx) {
        long balance = ctx.db.sql("SELECT balance FROM demo_wallet WHERE id = 1").one(Long.class);
        return (int) ((balance - (START - WORKERS * AMOUNT)) / AMOUNT);
    }

    private Outcome naive(DemoContext ctx) throws Exception {
        reset(ctx);
        CyclicBarrier allRead = new CyclicBarrier(WORKERS);
        long start = System.nanoTime();
        Concurrently.run(WORKERS, i -> {
            try (Connection c = ctx.raw.getConnection()) {
                long balance;
                try (PreparedStatement ps = c.prepareStatement("SELECT balance FROM demo_wallet WHERE id = 1");
                     ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    balance = rs.getLong(1);
                }
                allRead.await(10, TimeUnit.SECONDS);
                try (PreparedStatement ps = c.prepareStatement("UPDATE demo_wallet SET balance = ? WHERE id = 1")) {
                    ps.setLong(1, balance - AMOUNT);
                    ps.executeUpdate();
                }
            }
            return null;
        });
        int lost = lostUpdates(ctx);
        return Outcome.naive(name(), "read-modify", WORKERS, lost, Concurrently.millisSince(start),
                lost + " of " + WORKERS + " deductions lost: all read " + START + " and wrote back their own result");
    }

    private Outcome optimistic(DemoContext ctx) throws Exception {
        reset(ctx);
        CyclicBarrier allRead = new CyclicBarrier(WORKERS);
        AtomicInteger conflicts = new AtomicInteger();
        RetryPolicy retry = RetryPolicy.builder().maxAttempts(WORKERS + 2)
                .onRetry((attempt, delay, failure) -> conflicts.incrementAndGet()).build();
        long start = System.nanoTime();
        List<Concurrently.Result<Object>> results = Concurrently.run(WORKERS, i -> {
            boolean[] first = {true};
            return ctx.db.optimistic(retry, tx -> {
                Table<Wallet> wallets = tx.table(Wallet.class);
                Wallet w = wallets.get(1);
                if (first[0]) {
                    first[0] = false;
                    allRead.await(10, TimeUnit.SECONDS); // every first attempt reads the same version
                }
                return wallets.update(w.withBalance(w.balance() - AMOUNT)); // version-checked
            });
        });
        int lost = lostUpdates(ctx) + failures(results);
        return Outcome.txkit(name(), "version+retry", WORKERS, lost, Concurrently.millisSince(start),
                "all " + WORKERS + " deductions applied; " + conflicts.get()
                        + " version conflicts retried with jittered backoff and locking re-reads");
    }

    private Outcome pessimistic(DemoContext ctx) throws Exception {
        reset(ctx);
        CyclicBarrier go = new CyclicBarrier(WORKERS);
        long start = System.nanoTime();
        List<Concurrently.Result<Object>> results = Concurrently.run(WORKERS, i -> {
            go.await(10, TimeUnit.SECONDS);
            ctx.db.useTransaction(tx -> {
                long balance = tx.sql("SELECT balance FROM demo_wallet WHERE id = 1 FOR UPDATE").one(Long.class);
                tx.sql("UPDATE demo_wallet SET balance = ? WHERE id = 1", balance - AMOUNT).update();
            });
            return null;
        });
        int lost = lostUpdates(ctx) + failures(results);
        return Outcome.txkit(name(), "for-update", WORKERS, lost, Concurrently.millisSince(start),
                "all " + WORKERS + " deductions applied: SELECT … FOR UPDATE queued the writers on the row lock");
    }

    static int failures(List<? extends Concurrently.Result<?>> results) {
        return (int) results.stream().filter(r -> !r.succeeded()).count();
    }

    @TableName("demo_wallet")
    record Wallet(@Id int id, long balance, @Version int version) {
        Wallet withBalance(long newBalance) {
            return new Wallet(id, newBalance, version);
        }
    }
}
