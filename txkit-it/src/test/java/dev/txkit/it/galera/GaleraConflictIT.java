package dev.txkit.it.galera;

import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.Transaction;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.retry.RetryPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Cross-node write conflicts on a real 3-node Galera cluster: row locks do not cross nodes, so
 * a transaction holding {@code FOR UPDATE} on node 1 loses to a write committed on node 2. Galera
 * reports that certification failure as 1213 (40001) — at COMMIT, or at whatever statement runs
 * after the replicated write aborted it. txkit must call it CONFLICT and retry it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GaleraConflictIT {
    private String name;
    private final List<Database> dbs = new ArrayList<>();

    @BeforeAll
    void cluster() {
        Galera.assumeUp();
        name = Galera.createDatabase("gconflict");
        for (int node = 0; node < Galera.NODES; node++) {
            dbs.add(Database.create(Galera.pool(Galera.url(node, name), 8)));
        }
    }

    @AfterAll
    void drop() {
        dbs.forEach(Database::close);
        if (name != null) {
            Galera.dropDatabase(name);
        }
    }

    @BeforeEach
    void row() {
        Galera.execute(0, name, "DROP TABLE IF EXISTS t", "CREATE TABLE t (id INT PRIMARY KEY, v INT NOT NULL)",
                "INSERT INTO t VALUES (1, 0), (2, 0)");
        // Another node applies the new rows shortly after node 1 commits them: a test that writes
        // on node 2 at once could find no row. A causal read on every node waits the rows in.
        for (int node = 0; node < Galera.NODES; node++) {
            assertThat(Galera.scalar(node, name, "SELECT COUNT(*) FROM t")).as("rows on node " + (node + 1)).isEqualTo(2);
        }
    }

    private static TxOptions noRetry() {
        return TxOptions.defaults().withRetry(RetryPolicy.none());
    }

    @Test
    void a_write_committed_on_another_node_makes_the_local_lock_holder_fail_with_CONFLICT() {
        TxkitException e = catchThrowableOfType(() -> {
            try (Transaction tx = dbs.get(0).begin(noRetry())) {
                tx.sql("SELECT v FROM t WHERE id = 1 FOR UPDATE").one(Integer.class);
                // Node 2 does not see node 1's row lock: this commits at once.
                Galera.execute(1, name, "UPDATE t SET v = v + 10 WHERE id = 1");
                tx.sql("UPDATE t SET v = v + 1 WHERE id = 1").update();
                tx.commit();
            }
        }, TxkitException.class);

        assertThat(e).as("node 1's transaction must lose certification").isNotNull();
        assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(e.retryable()).isTrue();
        assertThat(Galera.scalar(2, name, "SELECT v FROM t WHERE id = 1")).isEqualTo(10);
    }

    @Test
    void the_default_policy_retries_a_certification_failure_and_the_result_is_exact() {
        AtomicInteger attempts = new AtomicInteger();
        int result = dbs.get(0).inTransaction(tx -> {
            attempts.incrementAndGet();
            int v = tx.sql("SELECT v FROM t WHERE id = 1 FOR UPDATE").one(Integer.class);
            if (tx.attempt() == 1) {
                Galera.execute(1, name, "UPDATE t SET v = v + 10 WHERE id = 1");
            }
            tx.sql("UPDATE t SET v = ? WHERE id = 1", v + 1).update();
            return v + 1;
        });

        assertThat(attempts.get()).as("first attempt loses certification, second commits").isEqualTo(2);
        assertThat(result).isEqualTo(11);
        for (int node = 0; node < Galera.NODES; node++) {
            assertThat(Galera.scalar(node, name, "SELECT v FROM t WHERE id = 1")).as("node " + (node + 1)).isEqualTo(11);
        }
    }

    /** Two transactions of one node locking two rows in opposite order: InnoDB's own deadlock stays DEADLOCK. */
    @Test
    void a_real_deadlock_on_one_node_is_still_called_DEADLOCK() throws Exception {
        java.util.concurrent.CyclicBarrier bothHoldOne = new java.util.concurrent.CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<ErrorCode>> outcomes = new ArrayList<>();
            for (int first : new int[] {1, 2}) {
                outcomes.add(pool.submit(() -> {
                    try {
                        dbs.get(0).useTransaction(noRetry(), tx -> {
                            tx.sql("UPDATE t SET v = v + 1 WHERE id = ?", first).update();
                            bothHoldOne.await();
                            tx.sql("UPDATE t SET v = v + 1 WHERE id = ?", 3 - first).update();
                        });
                        return null;
                    } catch (TxkitException e) {
                        return e.code();
                    }
                }));
            }
            List<ErrorCode> codes = new ArrayList<>();
            for (Future<ErrorCode> f : outcomes) {
                codes.add(f.get());
            }
            assertThat(codes).as("one commits, InnoDB picks the other as its victim").containsExactlyInAnyOrder(null, ErrorCode.DEADLOCK);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Autocommit statements from all three nodes on one row: Galera retries an autocommit
     * statement that loses certification only {@code wsrep_retry_autocommit} times (here 0, so
     * every loss reaches the client), and txkit's own retry must make up the difference.
     */
    @Test
    void autocommit_statements_racing_across_nodes_all_apply_exactly_once() throws Exception {
        int perThread = 25;
        int threadsPerNode = 3;
        List<Database> strict = new ArrayList<>();
        for (int node = 0; node < Galera.NODES; node++) {
            strict.add(Database.create(Galera.pool(Galera.url(node, name) + "&sessionVariables=wsrep_retry_autocommit=0", 4)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(Galera.NODES * threadsPerNode);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> work = new ArrayList<>();
            for (int node = 0; node < Galera.NODES; node++) {
                Database db = strict.get(node);
                for (int t = 0; t < threadsPerNode; t++) {
                    work.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < perThread; i++) {
                            db.sql("UPDATE t SET v = v + 1 WHERE id = 1").update();
                        }
                        return null;
                    }));
                }
            }
            start.countDown();
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
            strict.forEach(Database::close);
        }
        assertThat(Galera.scalar(1, name, "SELECT v FROM t WHERE id = 1"))
                .isEqualTo((long) perThread * threadsPerNode * Galera.NODES);
    }
}
