package dev.txkit.it;

import dev.txkit.Database;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Test helper: proves that no transaction scope was left bound on the threads of a pool. */
final class ScopeChecks {
    private ScopeChecks() {
    }

    /** Runs one check on each of the pool's {@code threads} threads (a barrier keeps them apart). */
    static void assertNoScopeOnAnyThread(ExecutorService pool, int threads, Database... dbs) throws Exception {
        CyclicBarrier all = new CyclicBarrier(threads);
        List<Future<List<Boolean>>> checks = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            checks.add(pool.submit(() -> {
                all.await(5, TimeUnit.SECONDS);
                List<Boolean> bound = new ArrayList<>();
                for (Database db : dbs) {
                    bound.add(db.inScope());
                }
                return bound;
            }));
        }
        for (Future<List<Boolean>> check : checks) {
            assertThat(check.get(5, TimeUnit.SECONDS)).as("scope left bound on a pool thread").doesNotContain(true);
        }
    }
}
