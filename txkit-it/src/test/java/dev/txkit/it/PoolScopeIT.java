package dev.txkit.it;

import com.zaxxer.hikari.HikariDataSource;
import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;
import dev.txkit.testing.DbKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

import javax.sql.DataSource;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The scope belongs to the pool (issue 10): every Database over one pool (the pool itself, txkit's
 * own {@code db.dataSource()}, Spring's {@code TransactionAwareDataSourceProxy} around it) joins the
 * transaction of the scope; strict mode fails fast instead; closing one leaves the others working;
 * a Database over a <em>different</em> pool cannot join, and its write on a locked row is a
 * SELF_DEADLOCK within a second instead of a wait for the timeout.
 */
class PoolScopeIT extends AccountRowIT {

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void everyDatabaseOverThePoolJoinsTheScopeAndRollsBackWithIt(DbKind kind) {
        HikariDataSource pool = pool(kind);
        Database first = watch(Database.create(pool));
        Database second = watch(Database.create(pool));
        Database overView = watch(Database.create(first.dataSource()));
        Database overSpringProxy = watch(Database.create(new TransactionAwareDataSourceProxy(pool)));
        assertThatThrownBy(() -> first.useTransaction(tx -> {
            tx.sql(update(kind), 1).update();
            for (Database other : new Database[]{second, overView, overSpringProxy}) {
                assertThat(other.inScope()).as("the scope is the pool's").isTrue();
                other.sql(update(kind), 10).update();          // would wait on the row lock if it did not join
            }
            second.useTransaction(inner -> inner.sql(update(kind), 100).update() /* REQUIRED: joins too */);
            assertThat(tx.sql("SELECT balance FROM account WHERE id = 1").one(Integer.class)).isEqualTo(100 - 131);
            assertThat(first.openTransactions()).as("one physical transaction for all").isEqualTo(1);
            throw new IllegalStateException("roll everything back");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(balance(kind)).as("all writes rolled back together").isEqualTo(100);

        first.useTransaction(tx -> {
            tx.sql(update(kind), 1).update();
            second.sql(update(kind), 2).update();
        });
        assertThat(balance(kind)).as("both writes committed together").isEqualTo(97);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void aStrictSecondDatabaseFailsFastInsteadOfJoining(DbKind kind) {
        HikariDataSource pool = pool(kind);
        Database first = watch(Database.create(pool));
        Database strict = watch(Database.builder(pool).strict(true).build());
        AtomicLong start = new AtomicLong();
        first.useTransaction(tx -> {
            tx.sql(update(kind), 1).update();
            start.set(System.nanoTime());
            assertThatThrownBy(() -> strict.sql(update(kind), 2).update())
                    .isInstanceOfSatisfying(TxkitException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.MISUSE);
                        assertThat(e.getMessage()).contains("strict mode").contains("use the Transaction");
                    });
            assertThat(SelfDeadlockIT.millisSince(start.get())).as("at once, no lock wait").isLessThan(500);
        });
        assertThat(balance(kind)).isEqualTo(99);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void closingOneDatabaseLeavesTheOthersOnThePoolWorking(DbKind kind) {
        HikariDataSource pool = pool(kind);
        Database leaving = Database.create(pool);
        Database staying = watch(Database.create(pool));
        leaving.useTransaction(tx -> staying.sql(update(kind), 1).update());
        staying.useTransaction(tx -> {
            tx.sql(update(kind), 2).update();
            leaving.close(); // a closed Database ends its own work only, not the pool's other transactions
            assertThat(tx.isActive()).isTrue();
            tx.sql(update(kind), 0).update();
        });
        assertThat(balance(kind)).isEqualTo(97);
        // the detector survived the Database that started it: a REQUIRES_NEW on the held row still fails fast
        long start = System.nanoTime();
        assertThatThrownBy(() -> staying.useTransaction(tx -> {
            tx.sql(update(kind), 3).update();
            staying.useTransaction(dev.txkit.TxOptions.defaults().withPropagation(dev.txkit.Propagation.REQUIRES_NEW),
                    inner -> inner.sql(update(kind), 4).update());
        })).isInstanceOfSatisfying(TxkitException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SELF_DEADLOCK));
        assertThat(SelfDeadlockIT.millisSince(start)).isLessThan(1000);
        assertThat(balance(kind)).isEqualTo(97);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void aDatabaseOverAnotherPoolOnTheOwnerThreadIsASelfDeadlockWithinASecond(DbKind kind) {
        Database first = watch(Database.create(pool(kind)));
        DataSource otherPool = pool(kind);
        Database other = watch(Database.create(otherPool));
        AtomicLong start = new AtomicLong();
        assertThatThrownBy(() -> first.useTransaction(tx -> {
            tx.sql(update(kind), 1).update();
            assertThat(other.inScope()).as("another pool: another scope").isFalse();
            start.set(System.nanoTime());
            other.sql(update(kind), 2).update();
        })).isInstanceOfSatisfying(TxkitException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.SELF_DEADLOCK);
            assertThat(e.getMessage()).contains("through a Database over another pool: pool HikariDataSource@")
                    .contains("the very thread that issued this statement");
        });
        assertThat(SelfDeadlockIT.millisSince(start.get())).as("instead of waiting for the 5 s timeout").isLessThan(1000);
        assertThat(balance(kind)).isEqualTo(100);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void aDatabaseOverAnotherPoolOnAnAwaitedThreadIsASelfDeadlockWithinASecond(DbKind kind) throws Exception {
        Database first = watch(Database.create(pool(kind)));
        Database other = watch(Database.create(pool(kind)));
        AtomicLong waited = new AtomicLong();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        first.useTransaction(tx -> {
            tx.sql(update(kind), 1).update();
            Thread worker = new Thread(() -> {
                long start = System.nanoTime();
                try {
                    other.sql(update(kind), 2).update();
                } catch (Throwable t) {
                    failure.set(t);
                }
                waited.set(SelfDeadlockIT.millisSince(start));
            }, "other-pool-worker");
            worker.start();
            worker.join();
        });
        assertThat(failure.get()).isInstanceOfSatisfying(TxkitException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.SELF_DEADLOCK);
            assertThat(e.getMessage()).contains("on thread 'other-pool-worker' (outside any transaction, through a"
                    + " Database over another pool");
        });
        assertThat(waited.get()).isLessThan(1000);
        assertThat(balance(kind)).as("the transaction went on and committed its own write").isEqualTo(99);
    }
}
