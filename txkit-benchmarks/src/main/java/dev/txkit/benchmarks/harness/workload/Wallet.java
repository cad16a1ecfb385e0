package dev.txkit.benchmarks.harness.workload;

import dev.txkit.Database;
import dev.txkit.Transaction;
import dev.txkit.benchmarks.harness.Access;
import dev.txkit.benchmarks.harness.Env;
import dev.txkit.benchmarks.harness.Jdbc;
import dev.txkit.benchmarks.harness.Operation;
import dev.txkit.benchmarks.harness.Rejected;
import dev.txkit.benchmarks.harness.Result;
import dev.txkit.benchmarks.harness.Workload;
import dev.txkit.table.Id;
import dev.txkit.table.Table;
import dev.txkit.table.TableName;
import dev.txkit.table.Version;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * W1, seed 000's hot row: every operation reads the one wallet's balance, deducts 1 if it is positive
 * and writes it back. Invariant: final balance = initial − acknowledged deductions, never negative.
 *
 * <p>Immutable; each cell's state is thread-safe.
 */
public final class Wallet implements Workload {
    static final String TABLE = "bench_wallet";
    private static final long START = 1_000_000_000_000L;
    private static final Set<Access> ACCESS = EnumSet.of(Access.PLAIN, Access.LOCKING, Access.VERSIONED, Access.ATOMIC,
            Access.MODIFY);

    @Override
    public String name() {
        return "W1-wallet";
    }

    @Override
    public int rows() {
        return 1;
    }

    @Override
    public double theta() {
        return 0;
    }

    @Override
    public boolean supports(Access access) {
        return ACCESS.contains(access);
    }

    @Override
    public List<String> tables() {
        return List.of(TABLE);
    }

    @Override
    public void setup(Env env) throws SQLException {
        drop(env);
        env.execute("CREATE TABLE " + TABLE + " (id BIGINT PRIMARY KEY, balance BIGINT NOT NULL, version BIGINT NOT NULL)",
                "INSERT INTO " + TABLE + " VALUES (1, " + START + ", 1)");
    }

    @Override
    public void drop(Env env) throws SQLException {
        env.execute("DROP TABLE IF EXISTS " + TABLE);
    }

    @Override
    public Cell start(Env env) throws SQLException {
        long before;
        try (Connection c = env.pool.getConnection()) {
            before = Jdbc.queryLong(c, "SELECT balance FROM " + TABLE + " WHERE id = 1");
        }
        AtomicLong acknowledged = new AtomicLong();
        Operation op = new Deduct(acknowledged);
        return new Cell() {
            @Override
            public Client client(int index) {
                return () -> op; // stateless: one instance serves every client
            }

            @Override
            public Invariant check(Env env) throws SQLException {
                long after;
                try (Connection c = env.pool.getConnection()) {
                    after = Jdbc.queryLong(c, "SELECT balance FROM " + TABLE + " WHERE id = 1");
                }
                long expected = before - acknowledged.get();
                boolean ok = after == expected && after >= 0;
                return new Invariant(ok, ok ? acknowledged.get() + " deductions, balance exact"
                        : "balance " + after + ", expected " + expected + ": " + (after - expected)
                                + " acknowledged deductions lost");
            }
        };
    }

    /** Deduct 1 from wallet 1. */
    private record Deduct(AtomicLong acknowledged) implements Operation {
        @Override
        public Result jdbc(Connection c, Access access) throws SQLException {
            if (access == Access.ATOMIC) {
                return Jdbc.update(c, "UPDATE " + TABLE + " SET balance = balance - 1 WHERE id = 1 AND balance >= 1") == 1
                        ? Result.DONE : Result.REJECTED;
            }
            if (access == Access.VERSIONED) {
                long[] bv = Jdbc.queryTwoLongs(c, "SELECT balance, version FROM " + TABLE + " WHERE id = 1");
                if (bv[0] < 1) {
                    return Result.REJECTED;
                }
                return Jdbc.update(c, "UPDATE " + TABLE + " SET balance = ?, version = version + 1 WHERE id = 1 AND version = ?",
                        bv[0] - 1, bv[1]) == 1 ? Result.DONE : Result.CONFLICT;
            }
            long balance = Jdbc.queryLong(c, "SELECT balance FROM " + TABLE + " WHERE id = 1"
                    + (access == Access.LOCKING ? " FOR UPDATE" : ""));
            if (balance < 1) {
                return Result.REJECTED;
            }
            Jdbc.update(c, "UPDATE " + TABLE + " SET balance = ? WHERE id = 1", balance - 1);
            return Result.DONE;
        }

        @Override
        public Result txkit(Transaction tx, Access access) {
            if (access == Access.PLAIN) {
                long balance = tx.sql("SELECT balance FROM " + TABLE + " WHERE id = 1").one(Long.class);
                if (balance < 1) {
                    return Result.REJECTED;
                }
                tx.sql("UPDATE " + TABLE + " SET balance = ? WHERE id = 1", balance - 1).update();
                return Result.DONE;
            }
            Table<Row> wallets = tx.table(Row.class);
            Row w = access == Access.LOCKING ? wallets.getForUpdate(1L) : wallets.get(1L);
            if (w.balance() < 1) {
                return Result.REJECTED;
            }
            wallets.update(new Row(w.id(), w.balance() - 1, w.version())); // version-checked
            return Result.DONE;
        }

        @Override
        public Result modify(Database db) {
            try {
                db.table(Row.class).modify(1L, w -> {
                    if (w.balance() < 1) {
                        throw new Rejected();
                    }
                    return new Row(w.id(), w.balance() - 1, w.version());
                });
                return Result.DONE;
            } catch (Rejected r) {
                return Result.REJECTED;
            }
        }

        @Override
        public void acknowledge(Result result) {
            if (result == Result.DONE) {
                acknowledged.incrementAndGet();
            }
        }
    }

    /** The wallet row as txkit's {@code Table} maps it. */
    @TableName(TABLE)
    public record Row(@Id long id, long balance, @Version long version) {
    }
}
