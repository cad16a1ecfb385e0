package dev.txkit.it;

import com.zaxxer.hikari.HikariDataSource;
import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.Propagation;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.testing.DbKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A thread that holds a connection and asks for another from a pool that can never supply one
 * fails at once with POOL_EXHAUSTED and a diagnosis, instead of waiting out maxWait (2 s); ordinary
 * contention keeps waiting and succeeds.
 */
class PoolExhaustionIT extends DbIT {
    private static final int N = 4;
    private static final TxOptions REQUIRES_NEW = TxOptions.defaults().withPropagation(Propagation.REQUIRES_NEW);
    private final ExecutorService threads = Executors.newFixedThreadPool(N);
    private final List<Database> used = new ArrayList<>();

    @BeforeEach
    void table() {
        for (DbKind kind : available(DbKind.POSTGRES, DbKind.MARIADB)) {
            schema(kind).execute("DROP TABLE IF EXISTS item", "CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(50))");
        }
    }

    private Database pooled(DbKind kind, int size) {
        Database db = watch(Database.create(closeLater(schema(kind).newPool(size))));
        used.add(db);
        return db;
    }

    @AfterEach
    void threadsAreClean() throws Exception {
        ScopeChecks.assertNoScopeOnAnyThread(threads, N, used.toArray(new Database[0]));
        used.clear();
    }

    @AfterAll
    void stop() {
        threads.shutdownNow();
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void nThreadsEachHoldingOneOfNConnectionsAndAskingForASecondFailFast(DbKind kind) throws Exception {
        Database db = pooled(kind, N);
        CyclicBarrier allHoldOne = new CyclicBarrier(N);
        List<Future<Object>> outcomes = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < N; i++) {
            int id = i;
            outcomes.add(threads.submit(() -> {
                try {
                    db.useTransaction(tx -> {
                        tx.sql("INSERT INTO item VALUES (?, 'outer')", id).update();
                        allHoldOne.await(5, TimeUnit.SECONDS);
                        db.useTransaction(REQUIRES_NEW, inner -> inner.sql("INSERT INTO item VALUES (?, 'inner')", 100 + id).update());
                    });
                    return "committed";
                } catch (TxkitException e) {
                    return e;
                }
            }));
        }
        List<TxkitException> failures = new ArrayList<>();
        for (Future<Object> f : outcomes) {
            Object outcome = f.get(10, TimeUnit.SECONDS);
            if (outcome instanceof TxkitException) {
                failures.add((TxkitException) outcome);
            }
        }
        long took = SelfDeadlockIT.millisSince(start);
        assertThat(took).as("no one waited out maxWait (2000 ms)").isLessThan(1000);
        assertThat(failures).as("at least one request was failed fast").isNotEmpty();
        for (TxkitException e : failures) {
            assertThat(e.code()).isEqualTo(ErrorCode.POOL_EXHAUSTED);
            assertThat(e.getMessage()).contains("already holds 1 connection of this pool (transaction ")
                    .contains("maximum size " + N + " with " + N + " active and 0 idle")
                    .contains("held by a thread that is itself waiting for another one")
                    .contains("maxWait (2000 ms)").contains("avoid REQUIRES_NEW while holding a connection");
        }
        // the failed ones rolled back and gave their connection back, so the others went through
        long committed = db.sql("SELECT COUNT(*) FROM item").one(Long.class);
        assertThat(committed).isEqualTo(2L * (N - failures.size()));
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void aPoolOfOneAndRequiresNewFailsAtOnce(DbKind kind) {
        Database db = pooled(kind, 1);
        long start = System.nanoTime();
        assertThatThrownBy(() -> db.useTransaction(tx -> {
            tx.sql("INSERT INTO item VALUES (1, 'outer')").update();
            db.useTransaction(REQUIRES_NEW, inner -> inner.sql("INSERT INTO item VALUES (2, 'inner')").update());
        })).isInstanceOfSatisfying(TxkitException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.POOL_EXHAUSTED);
            assertThat(e.getMessage()).contains("thread '" + Thread.currentThread().getName() + "' already holds 1 connection")
                    .contains("maximum size 1 with 1 active and 0 idle");
        });
        assertThat(SelfDeadlockIT.millisSince(start)).isLessThan(500);
        assertThat(db.sql("SELECT COUNT(*) FROM item").one(Long.class)).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void aPlainConnectionBorrowedFromTheDataSourceCountsAsHeld(DbKind kind) throws Exception {
        Database db = pooled(kind, 1);
        try (Connection held = db.dataSource().getConnection()) {
            assertThat(held.isValid(1)).isTrue();
            long start = System.nanoTime();
            assertThatThrownBy(() -> db.useTransaction(tx -> tx.sql("SELECT 1").one(Integer.class)))
                    .isInstanceOfSatisfying(TxkitException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.POOL_EXHAUSTED));
            assertThat(SelfDeadlockIT.millisSince(start)).isLessThan(500);
        }
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void ordinaryContentionKeepsWaitingAndSucceeds(DbKind kind) throws Exception {
        Database db = pooled(kind, 2);
        HikariDataSource pool = db.dataSource().unwrap(HikariDataSource.class);
        CountDownLatch otherHolds = new CountDownLatch(1);
        // another thread holds the second connection in a short transaction that ends once we wait
        Future<?> other = threads.submit(() -> {
            db.useTransaction(tx -> {
                tx.sql("INSERT INTO item VALUES (1, 'other')").update();
                otherHolds.countDown();
                while (pool.getHikariPoolMXBean().getThreadsAwaitingConnection() == 0) {
                    Thread.sleep(5); // polling the pool: done as soon as the main thread waits for a connection
                }
            });
            return null;
        });
        assertThat(otherHolds.await(5, TimeUnit.SECONDS)).isTrue();
        db.useTransaction(tx -> {
            tx.sql("INSERT INTO item VALUES (2, 'outer')").update();
            db.useTransaction(REQUIRES_NEW, inner -> inner.sql("INSERT INTO item VALUES (3, 'inner')").update());
        });
        other.get(5, TimeUnit.SECONDS);
        assertThat(db.sql("SELECT COUNT(*) FROM item").one(Long.class)).isEqualTo(3L);
    }
}
