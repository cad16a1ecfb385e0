package dev.txkit.benchmarks.harness;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The readable form of a run: one line per cell (repeats folded into their median TPS, with the
 * spread), grouped by database and workload, and a verdict on each invariant: {@code ok},
 * {@code BROKEN (expected)} for NAIVE's anomaly, {@code FAILED} for a bug.
 *
 * <p>Stateless; thread-safe.
 */
public final class Summary {
    private Summary() {
    }

    /** Repeats of one cell folded into one: the median-TPS repeat, with min and max TPS. */
    public record Folded(CellResult median, double minTps, double maxTps, int repeats, boolean invariantOk) {
    }

    public static List<Folded> fold(List<CellResult> results) {
        Map<String, List<CellResult>> byKey = new LinkedHashMap<>();
        for (CellResult r : results) {
            byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
        }
        List<Folded> folded = new ArrayList<>();
        for (List<CellResult> rs : byKey.values()) {
            List<CellResult> sorted = new ArrayList<>(rs);
            sorted.sort(Comparator.comparingDouble(CellResult::tps));
            folded.add(new Folded(sorted.get(sorted.size() / 2), sorted.get(0).tps(), sorted.get(sorted.size() - 1).tps(),
                    rs.size(), rs.stream().allMatch(CellResult::invariantOk)));
        }
        List<String> order = new ArrayList<>(Strategies.all().keySet());
        folded.sort(Comparator.comparing((Folded f) -> f.median().db()).thenComparing(f -> f.median().workload())
                .thenComparingInt(f -> f.median().rows()).thenComparingDouble(f -> f.median().theta())
                .thenComparingInt(f -> f.median().clients()).thenComparingInt(f -> order.indexOf(f.median().strategy())));
        return folded;
    }

    public static void print(PrintWriter out, List<CellResult> results) {
        String head = String.format(Locale.ROOT, "%-10s %-13s %7s %5s %-17s %4s %17s %9s %9s %8s %7s  %s",
                "db", "workload", "rows", "theta", "strategy", "c", "TPS", "p50 ms", "p99 ms", "att/op", "giveups", "invariant");
        out.println(head);
        out.println("-".repeat(head.length() + 6));
        String group = null;
        for (Folded f : fold(results)) {
            CellResult r = f.median();
            String g = r.db() + r.workload() + r.rows() + r.theta() + r.clients();
            if (group != null && !group.equals(g)) {
                out.println();
            }
            group = g;
            String tps = String.format(Locale.ROOT, "%.0f", r.tps()) + (f.repeats() > 1
                    ? String.format(Locale.ROOT, " (%.0f–%.0f)", f.minTps(), f.maxTps()) : "");
            out.println(String.format(Locale.ROOT, "%-10s %-13s %7d %5.2f %-17s %4d %17s %9.1f %9.1f %8.2f %7d  %s",
                    r.db(), r.workload(), r.rows(), r.theta(), r.strategy(), r.clients(), tps, r.p50Ms(), r.p99Ms(),
                    r.attemptsPerCommit(), r.giveups(), verdict(f, r)));
        }
        out.flush();
    }

    private static String verdict(Folded f, CellResult r) {
        if (f.invariantOk()) {
            return r.expectedBroken() && r.clients() > 1 ? "ok (anomaly not reproduced)" : "ok";
        }
        return (r.expectedBroken() ? "BROKEN (expected): " : "FAILED: ") + r.detail();
    }
}
