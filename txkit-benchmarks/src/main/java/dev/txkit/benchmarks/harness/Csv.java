package dev.txkit.benchmarks.harness;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Writes cells as CSV, one row per cell and repeat. The first 13 columns are those
 * {@code benchmarks.md} defines; after them p99.9, the cell's rows/repeat/duration, completed and
 * rejected operations, aborts by code ({@code 40001:12|40P01:3}) and the invariant check's detail.
 *
 * <p>Stateless; thread-safe.
 */
public final class Csv {
    public static final String HEADER = "db,workload,strategy,backoff,clients,theta,tps,p50_ms,p99_ms,"
            + "attempts_per_commit,abort_rate,giveups,invariant_ok,p999_ms,rows,repeat,seconds,completed,rejected,"
            + "aborts,detail";

    private Csv() {
    }

    public static void write(Writer out, List<CellResult> results) throws IOException {
        out.write(HEADER + "\n");
        for (CellResult r : results) {
            out.write(row(r) + "\n");
        }
        out.flush();
    }

    static String row(CellResult r) {
        String aborts = r.aborts().entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
                .collect(Collectors.joining("|"));
        return String.join(",", r.db(), r.workload(), r.strategy(), r.backoff(), Integer.toString(r.clients()),
                num(r.theta(), 2), num(r.tps(), 1), num(r.p50Ms(), 2), num(r.p99Ms(), 2), num(r.attemptsPerCommit(), 3),
                num(r.abortRate(), 4), Long.toString(r.giveups()), Boolean.toString(r.invariantOk()), num(r.p999Ms(), 2),
                Integer.toString(r.rows()), Integer.toString(r.repeat()), num(r.seconds(), 3), Long.toString(r.completed()),
                Long.toString(r.rejected()), aborts, quote(r.detail()));
    }

    private static String num(double v, int decimals) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
