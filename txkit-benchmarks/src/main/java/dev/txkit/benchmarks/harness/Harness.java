package dev.txkit.benchmarks.harness;

import dev.txkit.benchmarks.harness.strategy.Atomic;
import dev.txkit.benchmarks.harness.workload.Wallet;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@link Plan} on one database: creates every workload's tables, warms the JVM and the
 * database up with a short uncounted cell (unless the plan has no warm-up), then runs the cells in the plan's random order with
 * VACUUM/CHECKPOINT (or OPTIMIZE/FLUSH) before each, and drops the tables at the end.
 *
 * <p>One run at a time per database; the listener is called on the running thread.
 */
public final class Harness {
    private Harness() {
    }

    /** Told before each cell starts. */
    public interface Listener {
        void cellStarting(int index, int total, CellRunner.Spec spec);
    }

    public static List<CellResult> run(Env env, Plan plan, Listener listener) throws SQLException, InterruptedException {
        Map<String, Workload> byTables = new LinkedHashMap<>();
        for (Plan.Group g : plan.groups()) {
            byTables.putIfAbsent(g.workload().tables().toString(), g.workload());
        }
        Workload wallet = new Wallet();
        byTables.putIfAbsent(wallet.tables().toString(), wallet);
        List<CellResult> results = new ArrayList<>();
        try {
            for (Workload w : byTables.values()) {
                w.setup(env);
            }
            if (!plan.warmup().isZero()) {
                // JIT and buffer-cache warm-up, not recorded: the first real cell must not pay for it.
                CellRunner.run(env, new CellRunner.Spec(wallet, new Atomic(), Math.min(4, plan.maxClients()), 0),
                        Duration.ZERO, plan.warmup().multipliedBy(2));
            }
            List<CellRunner.Spec> cells = new ArrayList<>(plan.cells());
            cells.removeIf(spec -> !spec.strategy().runsOn(env.kind));
            for (int i = 0; i < cells.size(); i++) {
                CellRunner.Spec spec = cells.get(i);
                listener.cellStarting(i, cells.size(), spec);
                env.maintain(spec.workload().tables());
                results.add(CellRunner.run(env, spec, plan.warmup(), plan.window()));
            }
        } finally {
            for (Workload w : byTables.values()) {
                w.drop(env);
            }
        }
        return results;
    }
}
