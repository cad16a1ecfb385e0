package dev.txkit.benchmarks.harness;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one cell: N client threads loop over the workload's operations with the strategy for a warm-up
 * (not counted) and then the measured window; an operation counts (TPS, latency, give-up) when it ends
 * inside the window, its attempts and aborts when it started there. Operations still running at the end
 * finish uncounted, then the invariant is checked over everything acknowledged.
 *
 * <p>Stateless; one cell at a time per database.
 */
public final class CellRunner {
    private CellRunner() {
    }

    /** What a cell runs. */
    public record Spec(Workload workload, Strategy strategy, int clients, int repeat) {
        public String label() {
            return workload.name() + (workload.rows() > 1 && workload.theta() > 0 ? " θ=" + workload.theta() : "")
                    + (workload.name().startsWith("W2") ? " n=" + workload.rows() : "") + " " + strategy.name()
                    + " c=" + clients;
        }
    }

    public static CellResult run(Env env, Spec spec, Duration warmup, Duration window)
            throws SQLException, InterruptedException {
        Workload.Cell cell = spec.workload().start(env);
        Strategy strategy = spec.strategy();
        CountDownLatch go = new CountDownLatch(1);
        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos();
        long stopAt = measureFrom + window.toNanos();
        AtomicReference<String> firstError = new AtomicReference<>();
        List<Tally> tallies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < spec.clients(); i++) {
            Workload.Client client = cell.client(i);
            Tally warm = new Tally();
            Tally measured = new Tally();
            tallies.add(measured);
            threads.add(new Thread(() -> {
                try {
                    go.await();
                    for (long now = System.nanoTime(); now < stopAt; now = System.nanoTime()) {
                        Tally t = now < measureFrom ? warm : measured;
                        Env.bind(t);
                        Operation op = client.next();
                        try {
                            Result r = strategy.run(env, op, t);
                            op.acknowledge(r);
                            long end = System.nanoTime();
                            (end >= measureFrom && end <= stopAt ? measured : warm).completed(r, end - now);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        } catch (Exception e) {
                            long end = System.nanoTime();
                            (end >= measureFrom && end <= stopAt ? measured : warm).gaveUp();
                            if (!Codes.isContention(e)) {
                                firstError.compareAndSet(null, e.getClass().getSimpleName() + ": " + e.getMessage());
                            }
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    Env.bind(null);
                }
            }, "bench-client-" + i));
        }
        Audit audit = new Audit(env, cell.auditor(), stopAt);
        threads.forEach(Thread::start);
        audit.start();
        go.countDown();
        for (Thread t : threads) {
            t.join(Duration.ofMinutes(2).toMillis());
        }
        audit.stop();
        Tally total = new Tally();
        tallies.forEach(t -> t.addTo(total));
        Workload.Invariant invariant = cell.check(env);
        boolean ok = invariant.ok() && audit.violations() == 0;
        String detail = invariant.detail() + (audit.audits() > 0 ? "; auditor: " + audit.violations() + " of "
                + audit.audits() + " sums wrong" + (audit.example() == null ? "" : " (" + audit.example() + ")") : "")
                + (firstError.get() == null ? "" : "; first error: " + firstError.get());
        double seconds = window.toNanos() / 1e9;
        return result(env, spec, total, seconds, ok, detail);
    }

    private static CellResult result(Env env, Spec spec, Tally t, double seconds, boolean ok, String detail) {
        Workload w = spec.workload();
        Strategy s = spec.strategy();
        double ms = 1000.0;
        return new CellResult(env.kind.label, w.name(), s.name(), s.backoff(), spec.clients(), w.rows(), w.theta(),
                spec.repeat(), seconds, t.completed, t.rejected, t.completed / seconds,
                t.latencyMicros.getValueAtPercentile(50) / ms, t.latencyMicros.getValueAtPercentile(99) / ms,
                t.latencyMicros.getValueAtPercentile(99.9) / ms,
                t.completed == 0 ? Double.NaN : (double) t.attempts / t.completed,
                t.attempts == 0 ? 0 : (double) t.aborts.values().stream().mapToLong(Long::longValue).sum() / t.attempts,
                t.giveups, t.aborts, ok, s.expectedBroken(), detail);
    }
}
