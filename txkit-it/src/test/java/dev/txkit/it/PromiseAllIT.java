package dev.txkit.it;

import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;
import dev.txkit.testing.DbKind;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code Promise.all} shape in Java: a transaction hands writes of the row it already wrote to
 * an executor and waits for them. Without propagation the handed-off write cannot see the
 * transaction and waits for its lock: SELF_DEADLOCK, fast. With txkit's propagation helpers the
 * writes run inside the transaction and commit (or roll back) with it.
 */
class PromiseAllIT extends DbIT {
    private static final int THREADS = 3;
    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    @BeforeEach
    void table() {
        for (DbKind kind : available(DbKind.POSTGRES, DbKind.MARIADB)) {
            schema(kind).execute("DROP TABLE IF EXISTS account",
                    "CREATE TABLE account (id INT PRIMARY KEY, balance INT NOT NULL)",
                    "INSERT INTO account VALUES (1, 10000)");
        }
    }

    @AfterEach
    void poolThreadsAreClean() throws Exception {
        ScopeChecks.assertNoScopeOnAnyThread(pool, THREADS, db(DbKind.POSTGRES), db(DbKind.MARIADB));
    }

    @AfterAll
    void stopPool() {
        pool.shutdownNow();
    }

    private static final String UPDATE = "UPDATE account SET balance = balance - ? WHERE id = 1";

    int balance(DbKind kind) {
        return db(kind).sql("SELECT balance FROM account WHERE id = 1").one(Integer.class);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void withoutPropagationTheHandedOffWriteFailsFastWithSelfDeadlock(DbKind kind) {
        Database db = db(kind);
        AtomicLong start = new AtomicLong();
        assertThatThrownBy(() -> db.useTransaction(tx -> {
            tx.sql(UPDATE, 10).update();
            start.set(System.nanoTime());
            Future<Integer> a = pool.submit(() -> db.sql(UPDATE, 20).update());
            a.get();
        })).isInstanceOf(ExecutionException.class).cause().isInstanceOfSatisfying(TxkitException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.SELF_DEADLOCK);
            assertThat(e.getMessage()).contains(UPDATE).contains("WAITING on FutureTask").contains("db.propagating(executor)");
        });
        assertThat(SelfDeadlockIT.millisSince(start.get())).isLessThan(1500);
        assertThat(balance(kind)).isEqualTo(10000);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void withPropagationTheWritesCommitTogether(DbKind kind) throws Exception {
        Database db = db(kind);
        ExecutorService inTx = db.propagating(pool);
        db.useTransaction(tx -> {
            tx.sql(UPDATE, 10).update();
            Future<Integer> a = inTx.submit(() -> db.sql(UPDATE, 20).update());
            Future<Integer> b = inTx.submit(() -> db.sql(UPDATE, 30).update());
            assertThat(a.get() + b.get()).isEqualTo(2);
            assertThat(tx.sql("SELECT balance FROM account WHERE id = 1").one(Integer.class)).isEqualTo(10000 - 60);
        });
        assertThat(balance(kind)).isEqualTo(10000 - 60);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void withPropagationTheWritesRollBackTogether(DbKind kind) {
        Database db = db(kind);
        assertThatThrownBy(() -> db.useTransaction(tx -> {
            tx.sql(UPDATE, 10).update();
            CompletableFuture<Integer> a = CompletableFuture.supplyAsync(() -> db.sql(UPDATE, 20).update(), db.propagating(pool));
            CompletableFuture<Integer> b = CompletableFuture.supplyAsync(() -> db.sql(UPDATE, 30).update(), db.propagating(pool));
            CompletableFuture.allOf(a, b).join();
            throw new IllegalStateException("the request fails after both writes");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(balance(kind)).isEqualTo(10000);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void jdbiOnAnUnpropagatedExecutorFailsFastToo(DbKind kind) {
        Database db = db(kind);
        Jdbi jdbi = Jdbi.create(db.dataSource());
        jdbi.withHandle(h -> h.createQuery("SELECT balance FROM account").mapTo(Integer.class).list()); // warm up JDBI
        AtomicLong start = new AtomicLong();
        assertThatThrownBy(() -> db.useTransaction(tx -> {
            tx.sql(UPDATE, 10).update();
            start.set(System.nanoTime());
            pool.submit(() -> jdbi.withHandle(h -> h.createUpdate(UPDATE).bind(0, 20).execute())).get();
        })).isInstanceOf(ExecutionException.class).cause() // JDBI lets txkit's unchecked exception through as it is
                .isInstanceOfSatisfying(TxkitException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SELF_DEADLOCK));
        assertThat(SelfDeadlockIT.millisSince(start.get())).isLessThan(1500);
        assertThat(balance(kind)).isEqualTo(10000);
    }
}
