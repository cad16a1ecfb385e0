package dev.txkit.benchmarks.harness.workload;

import dev.txkit.benchmarks.harness.Access;
import dev.txkit.benchmarks.harness.Env;
import dev.txkit.benchmarks.harness.Workload;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * W2: transfers of 1–5 between two of N accounts chosen with Zipf skew θ, plus the unordered variant,
 * whose locking reads and atomic writes take the two rows in request order (so two opposite transfers
 * deadlock). A concurrent auditor reads {@code sum(balance)} and must always see the cell's starting
 * total. Invariant: every account ends at its start plus its acknowledged transfers, none negative.
 * The table always holds 100 000 accounts; a workload with N uses ids 1..N.
 *
 * <p>Immutable; each cell's state is thread-safe.
 */
public final class Transfers implements Workload {
    static final String TABLE = "bench_account";
    static final int ACCOUNTS = 100_000;
    static final long START = 1_000_000L;
    private static final Set<Access> ORDERED = EnumSet.of(Access.PLAIN, Access.LOCKING, Access.VERSIONED, Access.ATOMIC);
    private static final Set<Access> UNORDERED = EnumSet.of(Access.LOCKING, Access.ATOMIC);

    private final int n;
    private final double theta;
    private final boolean ordered;

    public Transfers(int n, double theta, boolean ordered) {
        if (n < 2 || n > ACCOUNTS) {
            throw new IllegalArgumentException("accounts must be in 2.." + ACCOUNTS + ", not " + n);
        }
        if (theta < 0 || theta > 5) {
            throw new IllegalArgumentException("theta must be in 0..5, not " + theta);
        }
        this.n = n;
        this.theta = theta;
        this.ordered = ordered;
    }

    @Override
    public String name() {
        return ordered ? "W2-transfer" : "W2-unordered";
    }

    @Override
    public int rows() {
        return n;
    }

    @Override
    public double theta() {
        return theta;
    }

    public boolean ordered() {
        return ordered;
    }

    @Override
    public boolean supports(Access access) {
        return (ordered ? ORDERED : UNORDERED).contains(access);
    }

    @Override
    public List<String> tables() {
        return List.of(TABLE);
    }

    @Override
    public void setup(Env env) throws SQLException {
        if (env.hasRows(TABLE, ACCOUNTS)) {
            return; // made by another W2 workload of this run
        }
        drop(env);
        env.execute("CREATE TABLE " + TABLE + " (id BIGINT PRIMARY KEY, balance BIGINT NOT NULL, version BIGINT NOT NULL)");
        env.insertIds("INSERT INTO " + TABLE + " VALUES (?, " + START + ", 1)", ACCOUNTS);
    }

    @Override
    public void drop(Env env) throws SQLException {
        env.execute("DROP TABLE IF EXISTS " + TABLE);
    }

    @Override
    public Cell start(Env env) throws SQLException {
        long[] before = balances(env);
        long total = 0;
        for (long b : before) {
            total += b;
        }
        return new TransferCell(this, before, total, new AtomicLongArray(n + 1));
    }

    /** Balances of ids 1..n, index = id. */
    long[] balances(Env env) throws SQLException {
        long[] b = new long[n + 1];
        try (Connection c = env.pool.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, balance FROM " + TABLE + " WHERE id <= ?")) {
            ps.setLong(1, n);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    b[(int) rs.getLong(1)] = rs.getLong(2);
                }
            }
        }
        return b;
    }

    /** {@code sum(balance)} over ids 1..n, as one statement (a consistent snapshot on both engines). */
    long total(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT sum(balance) FROM " + TABLE + " WHERE id <= ?")) {
            ps.setLong(1, n);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    int n() {
        return n;
    }
}
