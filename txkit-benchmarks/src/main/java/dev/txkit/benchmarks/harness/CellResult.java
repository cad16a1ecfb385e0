package dev.txkit.benchmarks.harness;

import java.util.Map;

/**
 * The measurements of one cell (one workload × strategy × client count × repeat on one database).
 * Latencies include retries and backoff: from an operation's first attempt to its commit.
 *
 * @param tps               completed operations per second (committed, including business rejections)
 * @param attemptsPerCommit attempts (transactions begun) per completed operation
 * @param abortRate         aborted attempts / attempts
 * @param aborts            aborted attempts by SQLSTATE / vendor code / {@code version}
 * @param invariantOk       whether the workload's invariant held at the end of the cell
 * @param expectedBroken    whether the strategy is a control expected to break it (NAIVE)
 * @param detail            what the invariant check compared, and the first unexpected error if any
 */
public record CellResult(String db, String workload, String strategy, String backoff, int clients, int rows,
                         double theta, int repeat, double seconds, long completed, long rejected, double tps,
                         double p50Ms, double p99Ms, double p999Ms, double attemptsPerCommit, double abortRate,
                         long giveups, Map<String, Long> aborts, boolean invariantOk, boolean expectedBroken,
                         String detail) {

    /** The grouping key of repeats of the same cell. */
    public String key() {
        return db + "|" + workload + "|" + rows + "|" + theta + "|" + strategy + "|" + clients;
    }

    /** A broken invariant where none is expected: a bug in the strategy (or the harness), not a number. */
    public boolean failed() {
        return !invariantOk && !expectedBroken;
    }
}
