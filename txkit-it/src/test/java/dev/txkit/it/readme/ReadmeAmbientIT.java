package dev.txkit.it.readme;

import dev.txkit.Database;
import dev.txkit.it.DbIT;
import dev.txkit.jooq.TxkitTransactionProvider;
import dev.txkit.testing.DbKind;
import org.jdbi.v3.core.Jdbi;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultConfiguration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The README's two "Ambient transactions" blocks over a pool of ONE connection: JDBI, a pool thread
 * and jOOQ's {@code transaction(...)} could not get a connection of their own, so the blocks passing
 * proves they ran in the transaction; a failure after them proves they roll back with it. JDBI and
 * the executor on PostgreSQL and MariaDB, jOOQ (whose block names {@code SQLDialect.POSTGRES}) on
 * PostgreSQL.
 */
class ReadmeAmbientIT extends DbIT {
    @BeforeAll
    static void quietJooq() {
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
    }

    @BeforeEach
    void tables() {
        for (DbKind kind : available(DbKind.POSTGRES, DbKind.MARIADB)) {
            schema(kind).execute("DROP TABLE IF EXISTS wallet", "DROP TABLE IF EXISTS account",
                    "DROP TABLE IF EXISTS ledger", "DROP TABLE IF EXISTS audit",
                    "CREATE TABLE wallet (id VARCHAR(10) PRIMARY KEY, balance BIGINT NOT NULL)",
                    "CREATE TABLE account (id VARCHAR(10) PRIMARY KEY, balance BIGINT NOT NULL)",
                    "CREATE TABLE ledger (wallet VARCHAR(10) NOT NULL, amount BIGINT NOT NULL)",
                    "CREATE TABLE audit (note VARCHAR(100) NOT NULL)",
                    "INSERT INTO wallet VALUES ('w1', 100)", "INSERT INTO account VALUES ('w1', 100)");
        }
    }

    private Database onePooledConnection(DbKind kind) {
        return watch(Database.create(closeAfterTest(schema(kind).newPool(1))));
    }

    private static void ambient(Database db, ExecutorService executor, String id) throws Exception {
        // tag::ambient[]
        Jdbi jdbi = Jdbi.create(db.dataSource());                  // also DSL.using(db.dataSource(), …), new JdbcTemplate(…)
        ExecutorService inTx = db.propagating(executor);           // or db.propagate(runnable / callable)
        db.useTransaction(tx -> {
            tx.sql("update wallet set balance = balance - 10 where id = ?", id).update();
            jdbi.useHandle(h -> h.execute("insert into ledger(wallet, amount) values (?, ?)", id, -10)); // same transaction
            Future<?> audit = inTx.submit(() -> db.sql("insert into audit(note) values (?)", "debit").update());
            audit.get();                                            // runs on a pool thread, inside this transaction
            // end::ambient[]
            if (id.equals("fail")) {
                throw new IllegalStateException("after the block: everything above rolls back");
            }
            // tag::ambient[]
        });
        // Without propagation, executor.submit(() -> db.sql("update wallet … where id = ?", id).update()).get()
        // would wait for the row lock this transaction holds: txkit fails it within ~200 ms with SELF_DEADLOCK
        // ("… waited 211 ms on thread 'pool-1-thread-1' (outside any transaction) for a lock held by
        // transaction 7 of this same process (owner thread 'main', WAITING on FutureTask, …). Fix: …").
        // end::ambient[]
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void jdbiAndAPoolThreadRunInTheTransaction(DbKind kind) throws Exception {
        Database db = onePooledConnection(kind);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            ambient(db, executor, "w1");
            Throwable failed = catchThrowable(() -> ambient(db, executor, "fail"));

            assertThat(failed).isInstanceOf(IllegalStateException.class);
            assertThat(db.sql("select balance from wallet where id = 'w1'").one(Long.class)).isEqualTo(90);
            assertThat(db.sql("select wallet from ledger").list(String.class)).as("the failed run's row rolled back")
                    .containsExactly("w1");
            assertThat(db.sql("select note from audit").list(String.class)).containsExactly("debit");
        } finally {
            executor.shutdown();
        }
    }

    private static void jooq(Database db, String id) {
        // tag::jooq[]
        DSLContext dsl = DSL.using(new DefaultConfiguration().set(db.dataSource()).set(SQLDialect.POSTGRES)
                .set(new TxkitTransactionProvider(db)));                   // dev.txkit.jooq, module txkit-jooq
        db.useTransaction(tx -> {
            tx.sql("update account set balance = balance - 10 where id = ?", id).update();
            dsl.transaction(c -> c.dsl().execute("insert into ledger values (?, -10)", id));  // savepoint
            // end::jooq[]
            if (id.equals("fail")) {
                throw new IllegalStateException("after the block: the savepoint's insert rolls back with the rest");
            }
            // tag::jooq[]
        });
        // end::jooq[]
    }

    @Test
    void jooqsTransactionIsASavepointInTheTransaction() {
        Database db = onePooledConnection(DbKind.POSTGRES);
        jooq(db, "w1");
        Throwable failed = catchThrowable(() -> jooq(db, "fail"));

        assertThat(failed).isInstanceOf(IllegalStateException.class);
        assertThat(db.sql("select balance from account where id = 'w1'").one(Long.class)).isEqualTo(90);
        assertThat(db.sql("select wallet from ledger").list(String.class)).containsExactly("w1");
        // An inner jOOQ transaction that fails undoes only its own part: that is the savepoint.
        db.useTransaction(tx -> {
            tx.sql("update account set balance = balance - 1 where id = 'w1'").update();
            Throwable inner = catchThrowable(() -> DSL.using(new DefaultConfiguration().set(db.dataSource())
                    .set(SQLDialect.POSTGRES).set(new TxkitTransactionProvider(db))).transaction(c -> {
                        c.dsl().execute("insert into ledger values ('w1', -1)");
                        throw new IllegalStateException("inner");
                    }));
            assertThat(inner).hasMessageContaining("inner");
        });
        assertThat(db.sql("select balance from account where id = 'w1'").one(Long.class)).isEqualTo(89);
        assertThat(db.sql("select count(*) from ledger").one(Long.class)).isEqualTo(1);
    }
}
