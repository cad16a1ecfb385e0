package dev.txkit.benchmarks.harness;

import org.HdrHistogram.Histogram;

import java.util.Map;
import java.util.TreeMap;

/**
 * What one client thread saw during a cell: attempts, aborts by code, completed operations, give-ups
 * and the latency of each completed operation from its first attempt to its commit (retries and
 * backoff included). Strategies report attempts and aborts; the cell runner the rest.
 *
 * <p>Not thread-safe: one per client thread; merged after the threads have ended.
 */
public final class Tally {
    /** Latencies in microseconds, up to one minute, three significant digits. */
    final Histogram latencyMicros = new Histogram(60_000_000L, 3);
    final Map<String, Long> aborts = new TreeMap<>();
    long attempts;
    long completed;
    long rejected;
    long giveups;

    /** An attempt (a transaction) starts. */
    public void attempt() {
        attempts++;
    }

    /** An attempt failed with {@code code} (SQLSTATE, vendor code, or {@code version}) and was rolled back. */
    public void abort(String code) {
        aborts.merge(code, 1L, Long::sum);
    }

    void completed(Result result, long nanos) {
        completed++;
        if (result == Result.REJECTED) {
            rejected++;
        }
        latencyMicros.recordValue(Math.min(Math.max(1, nanos / 1000), latencyMicros.getHighestTrackableValue()));
    }

    void gaveUp() {
        giveups++;
    }

    void addTo(Tally total) {
        total.latencyMicros.add(latencyMicros);
        aborts.forEach((k, v) -> total.aborts.merge(k, v, Long::sum));
        total.attempts += attempts;
        total.completed += completed;
        total.rejected += rejected;
        total.giveups += giveups;
    }
}
