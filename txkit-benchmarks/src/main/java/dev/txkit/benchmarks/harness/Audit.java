package dev.txkit.benchmarks.harness;

import java.sql.SQLException;

/**
 * Runs a workload's {@link Workload.Auditor} on its own thread while the clients run (about one
 * read every 10 ms, so the auditor does not take a core from the clients), counting reads and
 * violations.
 *
 * <p>Started and stopped by one thread; counts are read after {@link #stop}.
 */
final class Audit {
    private final Env env;
    private final Workload.Auditor auditor;
    private final long stopAt;
    private final Thread thread;
    private volatile boolean stop;
    private long audits;
    private long violations;
    private String example;

    Audit(Env env, Workload.Auditor auditor, long stopAt) {
        this.env = env;
        this.auditor = auditor;
        this.stopAt = stopAt;
        this.thread = auditor == null ? null : new Thread(this::loop, "bench-auditor");
    }

    void start() {
        if (thread != null) {
            thread.start();
        }
    }

    private void loop() {
        while (!stop && System.nanoTime() < stopAt) {
            try {
                String violation = auditor.audit(env);
                audits++;
                if (violation != null) {
                    violations++;
                    example = violation;
                }
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            } catch (SQLException e) {
                example = "audit failed: " + e.getMessage();
                violations++;
            }
        }
    }

    void stop() throws InterruptedException {
        stop = true;
        if (thread != null) {
            thread.join();
        }
    }

    long audits() {
        return audits;
    }

    long violations() {
        return violations;
    }

    String example() {
        return example;
    }
}
