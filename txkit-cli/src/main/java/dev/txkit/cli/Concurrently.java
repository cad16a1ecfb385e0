package dev.txkit.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Runs N tasks on N threads at once and collects what each returned or threw. */
final class Concurrently {
    private Concurrently() {
    }

    interface Task<T> {
        T run(int index) throws Exception;
    }

    /** The result of one task: its value or its failure. */
    record Result<T>(T value, Throwable failure) {
        boolean succeeded() {
            return failure == null;
        }
    }

    static <T> List<Result<T>> run(int n, Task<T> task) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> task.run(index)));
            }
            List<Result<T>> results = new ArrayList<>();
            for (Future<T> f : futures) {
                try {
                    results.add(new Result<>(f.get(60, TimeUnit.SECONDS), null));
                } catch (java.util.concurrent.ExecutionException e) {
                    results.add(new Result<>(null, e.getCause()));
                } catch (java.util.concurrent.TimeoutException e) {
                    results.add(new Result<>(null, e));
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
