package dev.txkit.it.galera;

import dev.txkit.Database;
import dev.txkit.retry.RetryPolicy;
import dev.txkit.table.Id;
import dev.txkit.table.Table;
import dev.txkit.table.Version;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One hot row written from all three nodes. Row locks do not cross nodes, so lock escalation
 * inside {@code db.optimistic} only orders the writers of one node; certification catches the
 * rest, and the retry must still make every deduction count exactly once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GaleraHotRowIT {
    private static final int THREADS_PER_NODE = 3;
    private static final int DEDUCTIONS = 15;
    private String name;
    private final List<Database> dbs = new ArrayList<>();

    record Wallet(@Id String id, long balance, @Version int version) {
    }

    @BeforeAll
    void cluster() {
        Galera.assumeUp();
        name = Galera.createDatabase("ghot");
        Galera.execute(0, name, "CREATE TABLE wallet (id VARCHAR(16) PRIMARY KEY, balance BIGINT NOT NULL, version INT NOT NULL)",
                "INSERT INTO wallet VALUES ('w', 100000, 0)");
        for (int node = 0; node < Galera.NODES; node++) {
            dbs.add(Database.create(Galera.pool(Galera.url(node, name), THREADS_PER_NODE + 1)));
        }
    }

    @AfterAll
    void drop() {
        dbs.forEach(Database::close);
        if (name != null) {
            Galera.dropDatabase(name);
        }
    }

    /** One deduction of the hot wallet through {@code db}. */
    @FunctionalInterface
    private interface Deduction {
        void deduct(Database db);
    }

    /**
     * {@code Table.modify} combines the callers of one node into one transaction per batch; the
     * batches of different nodes still collide in certification, and are retried as a whole.
     */
    @Test
    void modify_from_every_node_combines_locally_and_every_change_counts_once() throws Exception {
        deductFromEveryNode(db -> db.table(Wallet.class).modify("w", w -> new Wallet(w.id(), w.balance() - 1, w.version())));
    }

    @Test
    void optimistic_deductions_from_every_node_all_count_exactly_once() throws Exception {
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(100).backoff(Duration.ofMillis(1), Duration.ofMillis(50))
                .maxDuration(Duration.ofSeconds(60)).build();
        deductFromEveryNode(db -> db.optimistic(policy, tx -> {
            Table<Wallet> wallets = tx.table(Wallet.class);
            Wallet w = wallets.get("w");
            return wallets.update(new Wallet(w.id(), w.balance() - 1, w.version()));
        }));
    }

    /** {@value #THREADS_PER_NODE} threads per node, {@value #DEDUCTIONS} deductions each, all at once. */
    private void deductFromEveryNode(Deduction deduction) throws Exception {
        long before = Galera.scalar(0, name, "SELECT balance FROM wallet WHERE id = 'w'");
        long versionBefore = Galera.scalar(0, name, "SELECT version FROM wallet WHERE id = 'w'");
        long expected = (long) Galera.NODES * THREADS_PER_NODE * DEDUCTIONS;
        ExecutorService pool = Executors.newFixedThreadPool(Galera.NODES * THREADS_PER_NODE);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> work = new ArrayList<>();
            for (Database db : dbs) {
                for (int t = 0; t < THREADS_PER_NODE; t++) {
                    work.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < DEDUCTIONS; i++) {
                            deduction.deduct(db);
                        }
                        return DEDUCTIONS;
                    }));
                }
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> f : work) {
                total += f.get();
            }
            assertThat(total).isEqualTo(expected);
        } finally {
            pool.shutdownNow();
        }
        for (int node = 0; node < Galera.NODES; node++) {
            assertThat(Galera.scalar(node, name, "SELECT balance FROM wallet WHERE id = 'w'"))
                    .as("node " + (node + 1)).isEqualTo(before - expected);
            assertThat(Galera.scalar(node, name, "SELECT version FROM wallet WHERE id = 'w'"))
                    .as("one version bump per deduction").isEqualTo(versionBefore + expected);
        }
    }
}
