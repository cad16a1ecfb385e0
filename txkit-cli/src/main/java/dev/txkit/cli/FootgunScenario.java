package dev.txkit.cli;

import dev.txkit.ErrorCode;
import dev.txkit.Propagation;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Seed 002: code inside a transaction uses the root client. The second connection waits on the row
 * lock the transaction holds, and nothing commits until a lock timeout fires. txkit routes the root
 * client into the transaction; and where work really does take another connection, its detector
 * reports the self-deadlock at once instead of letting it hang.
 */
final class FootgunScenario implements Scenario {
    static final int LOCK_TIMEOUT_SECONDS = 2;
    static final String BUMP = "UPDATE demo_counter SET n = n + 1 WHERE id = 1";

    @Override
    public String name() {
        return "footgun";
    }

    @Override
    public List<Outcome> run(DemoContext ctx) throws Exception {
        ctx.ddl("DROP TABLE IF EXISTS demo_counter", "CREATE TABLE demo_counter (id INT PRIMARY KEY, n INT NOT NULL)",
                "INSERT INTO demo_counter VALUES (1, 0)");
        try {
            return List.of(naive(ctx), routed(ctx), separateConnection(ctx));
        } finally {
            ctx.ddl("DROP TABLE IF EXISTS demo_counter");
        }
    }

    private int counter(DemoContext ctx) {
        return ctx.db.sql("SELECT n FROM demo_counter WHERE id = 1").one(Integer.class);
    }

    private Outcome naive(DemoContext ctx) throws Exception {
        int before = counter(ctx);
        long start = System.nanoTime();
        String what;
        try (Connection tx = ctx.raw.getConnection(); Connection root = ctx.raw.getConnection()) {
            tx.setAutoCommit(false);
            try (Statement st = tx.createStatement()) {
                st.executeUpdate(BUMP);
            }
            try (Statement st = root.createStatement()) {
                st.execute(ctx.lockTimeout(LOCK_TIMEOUT_SECONDS));
                st.executeUpdate(BUMP); // the "root client": waits on the transaction's own row lock
                what = "the second write did not wait";
            } catch (SQLException e) {
                what = "stalled until the lock timeout: " + Failures.firstLine(e.getMessage());
            } finally {
                try (Statement st = root.createStatement()) {
                    st.execute(ctx.mariadb ? "SET SESSION innodb_lock_wait_timeout = DEFAULT" : "SET lock_timeout = DEFAULT");
                }
            }
            tx.commit();
            tx.setAutoCommit(true);
        }
        long millis = Concurrently.millisSince(start);
        int applied = counter(ctx) - before;
        return Outcome.naive(name(), "root client", 2, (int) (millis / 1000), millis,
                what + "; " + applied + " of 2 writes committed");
    }

    private Outcome routed(DemoContext ctx) {
        int before = counter(ctx);
        long start = System.nanoTime();
        ctx.db.useTransaction(tx -> {
            tx.sql(BUMP).update();
            ctx.db.sql(BUMP).update(); // the root Database inside the scope joins the transaction
        });
        long millis = Concurrently.millisSince(start);
        int applied = counter(ctx) - before;
        return Outcome.txkit(name(), "ambient", 2, (int) (millis / 1000) + (2 - applied), millis,
                "the root Database joined the transaction: " + applied + " of 2 writes committed together, no wait");
    }

    private Outcome separateConnection(DemoContext ctx) {
        long start = System.nanoTime();
        String what;
        boolean detected;
        try {
            ctx.db.useTransaction(tx -> {
                tx.sql(BUMP).update();
                ctx.db.useTransaction(TxOptions.defaults().withPropagation(Propagation.REQUIRES_NEW),
                        inner -> inner.sql(BUMP).update());
            });
            what = "no self-deadlock was reported";
            detected = false;
        } catch (TxkitException e) {
            detected = e.code() == ErrorCode.SELF_DEADLOCK;
            what = e.getMessage();
        }
        long millis = Concurrently.millisSince(start);
        return Outcome.txkit(name(), "detector", 2, (int) (millis / 1000) + (detected ? 0 : 1), millis,
                "reported in " + millis + " ms: " + Failures.firstLine(what));
    }
}
