package dev.txkit.it;

import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.Propagation;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.testing.DbKind;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Running work on other threads inside the caller's transaction: {@code db.propagate} and
 * {@code db.propagating}. Tasks join the transaction and leave nothing bound on pool threads;
 * statements of several threads are serialized on the one connection; {@code rejectConcurrentUse}
 * turns concurrent use into an error.
 */
class CrossThreadIT extends DbIT {
    private static final int WORKERS = 8;
    private final ExecutorService solo = Executors.newSingleThreadExecutor(r -> new Thread(r, "solo-worker"));
    private final ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
    private final List<Database> used = new ArrayList<>();

    @BeforeEach
    void table() {
        for (DbKind kind : available(DbKind.POSTGRES, DbKind.MARIADB, DbKind.H2)) {
            schema(kind).execute("DROP TABLE IF EXISTS item", "CREATE TABLE item (id INT PRIMARY KEY, worker INT, seq INT)");
        }
    }

    private Database use(Database db) {
        used.add(db);
        return db;
    }

    @AfterEach
    void poolThreadsAreClean() throws Exception {
        Database[] dbs = used.toArray(new Database[0]);
        ScopeChecks.assertNoScopeOnAnyThread(solo, 1, dbs);
        ScopeChecks.assertNoScopeOnAnyThread(workers, WORKERS, dbs);
        used.clear();
    }

    @AfterAll
    void stopPools() {
        solo.shutdownNow();
        workers.shutdownNow();
    }

    private long count(Database db) {
        return db.sql("SELECT COUNT(*) FROM item").one(Long.class);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB", "H2"})
    void propagatedTasksRunInsideTheCallersTransactionAndCommitWithIt(DbKind kind) throws Exception {
        Database db = use(db(kind));
        db.useTransaction(tx -> {
            tx.sql("INSERT INTO item VALUES (1, 0, 0)").update();
            Thread thread = new Thread(db.propagate(() -> {
                db.sql("INSERT INTO item VALUES (2, 0, 0)").update();
            }));
            thread.start();
            thread.join();
            long seen = solo.submit(db.propagate(() -> db.sql("SELECT COUNT(*) FROM item").one(Long.class))).get();
            assertThat(seen).as("the task sees the caller's uncommitted rows").isEqualTo(2);
            Executor inTx = db.propagating((Executor) solo);
            CompletableFuture.runAsync(() -> db.sql("INSERT INTO item VALUES (3, 0, 0)").update(), inTx).join();
        });
        assertThat(count(db)).isEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB", "H2"})
    void propagatedTasksRollBackWithTheCallersTransaction(DbKind kind) {
        Database db = use(db(kind));
        assertThatThrownBy(() -> db.useTransaction(tx -> {
            tx.sql("INSERT INTO item VALUES (1, 0, 0)").update();
            db.propagating(solo).submit(() -> db.sql("INSERT INTO item VALUES (2, 0, 0)").update()).get();
            throw new IllegalStateException("fails after the task");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(count(db)).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES"})
    void aTaskWrappedOutsideAnyScopeRunsOutsideAnyTransaction(DbKind kind) throws Exception {
        Database db = use(db(kind));
        AtomicBoolean bound = new AtomicBoolean(true);
        solo.submit(db.propagate(() -> bound.set(db.inScope()))).get();
        assertThat(bound).isFalse();
        bound.set(true);
        db.propagating(solo).submit(() -> bound.set(db.inScope())).get();
        assertThat(bound).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void workThatOutlivesItsTransactionFailsWithClosed(DbKind kind) {
        Database db = use(db(kind));
        List<Callable<Integer>> late = new ArrayList<>();
        db.useTransaction(tx -> late.add(db.propagate(() -> db.sql("INSERT INTO item VALUES (1, 0, 0)").update())));
        assertThatThrownBy(() -> solo.submit(late.get(0)).get()).isInstanceOf(ExecutionException.class).cause()
                .isInstanceOfSatisfying(TxkitException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CLOSED));
        assertThat(count(db)).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB", "H2"})
    void statementsFromManyThreadsAreSerializedAndKeepTheirResults(DbKind kind) throws Exception {
        OverlapProbe probe = new OverlapProbe(closeLater(schema(kind).newPool(2)));
        Database db = use(watch(Database.create(probe.dataSource)));
        Jdbi jdbi = Jdbi.create(db.dataSource());
        int perWorker = 25;
        CyclicBarrier start = new CyclicBarrier(WORKERS);
        db.useTransaction(tx -> {
            ExecutorService inTx = db.propagating(workers);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                int worker = w;
                done.add(inTx.submit(() -> {
                    start.await(5, TimeUnit.SECONDS);
                    for (int i = 0; i < perWorker; i++) {
                        long mine;
                        if (worker % 2 == 0) {
                            db.sql("INSERT INTO item VALUES (?, ?, ?)", worker * 1000 + i, worker, i).update();
                            mine = db.sql("SELECT COUNT(*) FROM item WHERE worker = ?", worker).one(Long.class);
                        } else { // JDBI through db.dataSource(): a view of the same connection
                            int seq = i;
                            mine = jdbi.withHandle(h -> {
                                h.execute("INSERT INTO item VALUES (?, ?, ?)", worker * 1000 + seq, worker, seq);
                                return h.createQuery("SELECT COUNT(*) FROM item WHERE worker = ?").bind(0, worker)
                                        .mapTo(Long.class).one();
                            });
                        }
                        assertThat(mine).as("worker %d reads its own writes", worker).isEqualTo(i + 1);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        });
        assertThat(count(db)).isEqualTo((long) WORKERS * perWorker);
        assertThat(probe.executions.get()).isGreaterThanOrEqualTo(2 * WORKERS * perWorker);
        assertThat(probe.maxOverlap.get()).as("statements that ran at once on one connection").isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void rejectConcurrentUseFailsTheSecondThreadAtOnce(DbKind kind) throws Exception {
        Database db = use(watch(Database.builder(closeLater(schema(kind).newPool(3))).rejectConcurrentUse(true).build()));
        schema(kind).execute("INSERT INTO item VALUES (1, 0, 0)");
        String marker = schema(kind).name();
        try (Connection holder = schema(kind).unpooledDataSource().getConnection(); Statement st = holder.createStatement()) {
            holder.setAutoCommit(false);
            st.executeUpdate("UPDATE item SET seq = 9 WHERE id = 1");
            db.useTransaction(tx -> {
                Future<Integer> blocked = db.propagating(solo)
                        .submit(() -> db.sql("UPDATE item SET seq = 1 WHERE id = 1 /* " + marker + " */").update());
                LockWaits.awaitBlocked(schema(kind), marker, 1);
                assertThatThrownBy(() -> tx.sql("SELECT COUNT(*) FROM item").one(Long.class))
                        .isInstanceOfSatisfying(TxkitException.class, e -> {
                            assertThat(e.code()).isEqualTo(ErrorCode.MISUSE);
                            assertThat(e.getMessage()).contains("is in use by thread 'solo-worker'")
                                    .contains("UPDATE item SET seq = 1").contains("rejectConcurrentUse");
                        });
                holder.rollback();
                assertThat(blocked.get(5, TimeUnit.SECONDS)).isEqualTo(1);
                assertThat(tx.sql("SELECT seq FROM item WHERE id = 1").one(Integer.class)).isEqualTo(1);
            });
        }
        assertThat(db.sql("SELECT seq FROM item WHERE id = 1").one(Integer.class)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void aPropagatedTaskThatOpensRequiresNewOnTheSameRowIsASelfDeadlock(DbKind kind) {
        Database db = use(db(kind));
        schema(kind).execute("INSERT INTO item VALUES (1, 0, 0)");
        TxOptions requiresNew = TxOptions.defaults().withPropagation(Propagation.REQUIRES_NEW);
        AtomicLong start = new AtomicLong();
        assertThatThrownBy(() -> db.useTransaction(tx -> {
            tx.sql("UPDATE item SET seq = 1 WHERE id = 1").update();
            start.set(System.nanoTime());
            db.propagating(solo).submit(() -> db.inTransaction(requiresNew,
                    inner -> inner.sql("UPDATE item SET seq = 2 WHERE id = 1").update())).get();
        })).isInstanceOf(ExecutionException.class).cause().isInstanceOfSatisfying(TxkitException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.SELF_DEADLOCK);
            assertThat(e.getMessage()).contains("on thread 'solo-worker' (in transaction");
        });
        assertThat(SelfDeadlockIT.millisSince(start.get())).isLessThan(1500);
        assertThat(db.sql("SELECT seq FROM item WHERE id = 1").one(Integer.class)).isZero();
    }
}
