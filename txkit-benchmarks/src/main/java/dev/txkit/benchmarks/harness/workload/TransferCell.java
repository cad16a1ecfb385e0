package dev.txkit.benchmarks.harness.workload;

import dev.txkit.benchmarks.harness.Env;
import dev.txkit.benchmarks.harness.Workload;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLongArray;

/** One W2 cell: the starting balances, the acknowledged deltas per account, the auditor and the check. */
final class TransferCell implements Workload.Cell {
    private final Transfers w;
    private final long[] before;
    private final long total;
    private final AtomicLongArray deltas;

    TransferCell(Transfers w, long[] before, long total, AtomicLongArray deltas) {
        this.w = w;
        this.before = before;
        this.total = total;
        this.deltas = deltas;
    }

    @Override
    public Workload.Client client(int index) {
        Keys keys = new Keys(w.n(), w.theta(), 0x5EED_0000L + index);
        return () -> {
            long from = keys.next();
            long to = keys.next();
            while (to == from) {
                to = keys.next();
            }
            return new Transfer(from, to, 1 + keys.nextInt(5), w.ordered(), deltas);
        };
    }

    @Override
    public Workload.Auditor auditor() {
        return env -> {
            try (Connection c = env.pool.getConnection()) {
                long seen = w.total(c);
                return seen == total ? null : "sum(balance) read " + seen + ", expected " + total;
            }
        };
    }

    @Override
    public Workload.Invariant check(Env env) throws SQLException {
        long[] after = w.balances(env);
        int wrong = 0;
        int negative = 0;
        long sum = 0;
        for (int id = 1; id <= w.n(); id++) {
            sum += after[id];
            if (after[id] != before[id] + deltas.get(id)) {
                wrong++;
            }
            if (after[id] < 0) {
                negative++;
            }
        }
        boolean ok = wrong == 0 && negative == 0 && sum == total;
        return new Workload.Invariant(ok, ok ? "every balance exact, total " + total + " conserved"
                : wrong + " accounts differ from their acknowledged transfers, " + negative + " negative, total "
                        + sum + " vs " + total);
    }
}
