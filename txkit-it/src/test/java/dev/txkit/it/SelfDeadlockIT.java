package dev.txkit.it;

import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.Propagation;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.retry.RetryPolicy;
import dev.txkit.testing.DbKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Seed 002: code inside a transaction writes a row the transaction already wrote, through a second
 * connection. Plain JDBC hangs until a lock timeout; txkit's routing makes the write join the
 * transaction; a write that still goes through another connection fails with SELF_DEADLOCK at once,
 * with a message that names both sides and the fix. Executor shapes are in {@link PromiseAllIT}.
 */
class SelfDeadlockIT extends DbIT {
    /** A bound value that must never appear in an error message. */
    static final int SECRET = 4242;
    private static final TxOptions REQUIRES_NEW = TxOptions.defaults().withPropagation(Propagation.REQUIRES_NEW);

    @BeforeEach
    void table() {
        for (DbKind kind : available(DbKind.POSTGRES, DbKind.MARIADB)) {
            schema(kind).execute("DROP TABLE IF EXISTS account",
                    "CREATE TABLE account (id INT PRIMARY KEY, balance INT NOT NULL)",
                    "INSERT INTO account VALUES (1, 10000)");
        }
    }

    /** The update of the contended row; the comment lets {@link LockWaits} find it. */
    String update(DbKind kind) {
        return "UPDATE account SET balance = balance - ? WHERE id = 1 /* " + schema(kind).name() + " */";
    }

    int balance(DbKind kind) {
        return db(kind).sql("SELECT balance FROM account WHERE id = 1").one(Integer.class);
    }

    static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void plainJdbcWithASecondConnectionHangsUntilTheLockTimeout(DbKind kind) throws SQLException {
        try (Connection first = schema(kind).unpooledDataSource().getConnection();
             Connection second = schema(kind).unpooledDataSource().getConnection();
             Statement st1 = first.createStatement(); Statement st2 = second.createStatement()) {
            first.setAutoCommit(false);
            st1.executeUpdate("UPDATE account SET balance = balance - 10 WHERE id = 1");
            st2.execute(kind == DbKind.POSTGRES ? "SET lock_timeout = '1s'" : "SET SESSION innodb_lock_wait_timeout = 1");
            long start = System.nanoTime();
            assertThatThrownBy(() -> st2.executeUpdate("UPDATE account SET balance = balance - 20 WHERE id = 1"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        if (kind == DbKind.POSTGRES) {
                            assertThat(e.getSQLState()).isEqualTo("55P03");
                        } else {
                            assertThat(e.getErrorCode()).isEqualTo(1205);
                        }
                    });
            assertThat(millisSince(start)).as("waited out the lock timeout").isGreaterThanOrEqualTo(900);
            first.rollback();
        }
        assertThat(balance(kind)).isEqualTo(10000);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void routedWritesJoinTheTransactionAndCommitWithIt(DbKind kind) throws SQLException {
        Database db = db(kind);
        db.useTransaction(tx -> {
            tx.sql(update(kind), 10).update();
            db.sql(update(kind), 20).update();                       // the root client: routed
            try (Connection c = db.dataSource().getConnection();    // plain JDBC: routed
                 PreparedStatement ps = c.prepareStatement(update(kind))) {
                ps.setInt(1, 30);
                ps.executeUpdate();
            }
        });
        assertThat(balance(kind)).isEqualTo(10000 - 60);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void requiresNewOnTheSameThreadFailsFastWithSelfDeadlock(DbKind kind) {
        Database db = watch(Database.builder(closeLater(schema(kind).newPool(4))).captureBeginSite(true).build());
        String owner = Thread.currentThread().getName();
        AtomicLong start = new AtomicLong();
        assertThatThrownBy(() -> db.useTransaction(tx -> {
            tx.sql(update(kind), 10).update();
            start.set(System.nanoTime());
            db.useTransaction(REQUIRES_NEW, inner -> inner.sql(update(kind), SECRET).update());
        })).isInstanceOfSatisfying(TxkitException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.SELF_DEADLOCK);
            assertThat(e.getMessage())
                    .contains("UPDATE account SET balance = balance - ? WHERE id = 1")
                    .containsPattern("on thread '" + owner + "' \\(in transaction \\d+\\)")
                    .containsPattern("held by transaction \\d+ of this same process \\(owner thread '" + owner + "'")
                    .contains("the very thread that issued this statement")
                    .containsPattern("age \\d+ ms")
                    .contains("began at " + SelfDeadlockIT.class.getName())
                    .contains("propagate the transaction to that thread with db.propagate(task)")
                    .contains("move the work outside the transaction")
                    .doesNotContain(Integer.toString(SECRET));
        });
        assertThat(millisSince(start.get())).as("failed well before any timeout").isLessThan(1500);
        assertThat(balance(kind)).as("both transactions rolled back").isEqualTo(10000);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void rootClientOnAnotherThreadFailsFastAndTheTransactionGoesOn(DbKind kind) throws Exception {
        Database db = db(kind);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong waited = new AtomicLong();
        db.useTransaction(tx -> {
            tx.sql(update(kind), 10).update();
            Thread worker = new Thread(() -> {
                long start = System.nanoTime();
                try {
                    db.sql(update(kind), SECRET).update();
                } catch (Throwable t) {
                    failure.set(t);
                }
                waited.set(millisSince(start));
            }, "report-worker");
            worker.start();
            worker.join();
        });
        assertThat(waited.get()).as("the blocked statement failed well before any timeout").isLessThan(1500);
        assertThat(failure.get()).isInstanceOfSatisfying(TxkitException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.SELF_DEADLOCK);
            assertThat(e.getMessage()).contains("on thread 'report-worker' (outside any transaction)")
                    .contains("owner thread '" + Thread.currentThread().getName() + "', WAITING")
                    .contains("captureBeginSite(true)")
                    .doesNotContain(Integer.toString(SECRET));
        });
        assertThat(balance(kind)).as("the transaction committed its own write").isEqualTo(10000 - 10);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void plainJdbcFromTheDataSourceOnAnotherThreadFailsFast(DbKind kind) throws Exception {
        Database db = db(kind);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong waited = new AtomicLong();
        db.useTransaction(tx -> {
            tx.sql(update(kind), 10).update();
            Thread worker = new Thread(() -> {
                try (Connection c = db.dataSource().getConnection();
                     PreparedStatement ps = c.prepareStatement(update(kind))) {
                    ps.setInt(1, SECRET);
                    long start = System.nanoTime();
                    try {
                        ps.executeUpdate();
                    } finally {
                        waited.set(millisSince(start));
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "jdbc-worker");
            worker.start();
            worker.join();
        });
        assertThat(waited.get()).as("the blocked statement failed well before any timeout").isLessThan(1500);
        assertThat(failure.get()).isInstanceOfSatisfying(TxkitException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.SELF_DEADLOCK);
            assertThat(e.getMessage()).contains("on thread 'jdbc-worker' (outside any transaction)")
                    .doesNotContain(Integer.toString(SECRET));
        });
        assertThat(balance(kind)).isEqualTo(10000 - 10);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void anOwnerThatSleepsIsNotTakenForStuck(DbKind kind) throws Exception {
        Database db = db(kind);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger updated = new AtomicInteger();
        Thread worker = new Thread(() -> {
            try {
                updated.set(db.sql(update(kind), 20).update());
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "patient-worker");
        db.useTransaction(tx -> {
            tx.sql(update(kind), 10).update();
            worker.start();
            LockWaits.awaitBlocked(schema(kind), schema(kind).name(), 1);
            Thread.sleep(600); // the owner is busy with something that ends by itself: ordinary contention
        });
        worker.join();
        assertThat(failure.get()).isNull();
        assertThat(updated.get()).isEqualTo(1);
        assertThat(balance(kind)).isEqualTo(10000 - 30);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void aLockHeldOutsideTxkitIsOrdinaryContention(DbKind kind) throws SQLException {
        // its own pool of one, because MariaDB's lock wait timeout is a session setting
        Database db = watch(Database.create(closeLater(schema(kind).newPool(1))));
        TxOptions once = TxOptions.defaults().withRetry(RetryPolicy.none());
        try (Connection holder = schema(kind).unpooledDataSource().getConnection(); Statement st = holder.createStatement()) {
            holder.setAutoCommit(false);
            st.executeUpdate("UPDATE account SET balance = balance - 10 WHERE id = 1");
            assertThatThrownBy(() -> db.useTransaction(once, tx -> {
                tx.sql(kind == DbKind.POSTGRES ? "SET LOCAL lock_timeout = '1s'" : "SET innodb_lock_wait_timeout = 1").update();
                tx.sql(update(kind), 20).update();
            })).isInstanceOfSatisfying(TxkitException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.LOCK_TIMEOUT));
            holder.rollback();
        }
        assertThat(balance(kind)).isEqualTo(10000);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void aSlowStatementThatIsNotBlockedIsLeftAlone(DbKind kind) {
        Database db = db(kind);
        String sleep = kind == DbKind.POSTGRES ? "SELECT pg_sleep(0.6)" : "SELECT SLEEP(0.6)";
        db.useTransaction(tx -> {
            tx.sql(update(kind), 10).update();
            db.useTransaction(REQUIRES_NEW, inner -> inner.sql(sleep).list(Object.class));
        });
        assertThat(balance(kind)).isEqualTo(10000 - 10);
    }
}
