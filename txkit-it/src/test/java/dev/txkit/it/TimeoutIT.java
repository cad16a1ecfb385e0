package dev.txkit.it;

import com.zaxxer.hikari.HikariDataSource;
import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.Transaction;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.testing.DbKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The wall-clock transaction timeout and the connection-acquire bound. */
class TimeoutIT extends DbIT {
    private static final TxOptions ONE_SECOND = TxOptions.defaults().withTimeout(Duration.ofSeconds(1));

    @BeforeEach
    void table() {
        for (DbKind kind : available(DbKind.POSTGRES, DbKind.MARIADB)) {
            schema(kind).execute("DROP TABLE IF EXISTS item", "CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(50))");
        }
    }

    static String sleep10(DbKind kind) {
        return kind == DbKind.POSTGRES ? "SELECT pg_sleep(10)" : "SELECT SLEEP(10)";
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void longStatementIsCancelledAtTheDeadlineAndRolledBack(DbKind kind) {
        Database db = db(kind);
        long start = System.nanoTime();
        assertThatThrownBy(() -> db.useTransaction(ONE_SECOND, tx -> {
            tx.sql("INSERT INTO item VALUES (?, ?)", 1, "a").update();
            tx.sql(sleep10(kind)).list(Object.class);
        })).isInstanceOfSatisfying(TxkitException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT);
            assertThat(e.getMessage()).contains("timeout of 1000 ms").contains("rolled back").containsPattern("ran \\d+ ms");
        });
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(tookMillis).as("failed within 2 s").isLessThan(2000);
        assertThat(TransactionIT.committedRows(this, kind)).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void commitAfterTheDeadlineIsRefused(DbKind kind) throws Exception {
        Database db = db(kind);
        TxOptions shortTimeout = TxOptions.defaults().withTimeout(Duration.ofMillis(200));
        Transaction tx = db.begin(shortTimeout);
        tx.sql("INSERT INTO item VALUES (?, ?)", 1, "a").update();
        Thread.sleep(400); // the subject of the test is the passage of time, not a synchronisation
        assertThatThrownBy(tx::commit).isInstanceOfSatisfying(TxkitException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT);
            assertThat(e.getMessage()).contains("timeout of 200 ms").contains("rolled back");
        });
        assertThat(tx.isActive()).isFalse();
        tx.close();
        assertThat(TransactionIT.committedRows(this, kind)).isZero();
        assertThat(db.inScope()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void maxWaitBoundsAcquisitionFromThePoolTxkitBuilds(DbKind kind) throws Exception {
        Database owned = watch(Database.builder(schema(kind).jdbcUrl(), schema(kind).user(), schema(kind).password())
                .poolSize(1).build());
        HikariDataSource pool = owned.dataSource().unwrap(HikariDataSource.class);
        assertAcquireTimeout(owned, pool);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void maxWaitBoundsAcquisitionFromAUserSuppliedHikariPool(DbKind kind) throws Exception {
        HikariDataSource pool = closeLater(schema(kind).newPool(1));
        pool.setConnectionTimeout(30_000); // the pool's own timeout is long: maxWait must win
        assertAcquireTimeout(watch(Database.create(pool)), pool);
    }

    private static void assertAcquireTimeout(Database db, HikariDataSource pool) throws Exception {
        TxOptions quick = TxOptions.defaults().withMaxWait(Duration.ofMillis(300));
        try (Connection held = pool.getConnection()) {
            assertThat(held.isValid(1)).isTrue();
            long start = System.nanoTime();
            assertThatThrownBy(() -> db.useTransaction(quick, tx -> tx.sql("SELECT 1").list(Integer.class)))
                    .isInstanceOfSatisfying(TxkitException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.ACQUIRE_TIMEOUT);
                        assertThat(e.getMessage()).contains("maxWait 300 ms").contains("size=1").contains("active=1")
                                .contains("idle=0").contains("waiting=");
                        assertThat(e.httpStatus()).isEqualTo(503);
                    });
            long took = (System.nanoTime() - start) / 1_000_000;
            assertThat(took).isBetween(250L, 1500L);
        }
        int one = db.inTransaction(tx -> tx.sql("SELECT 1").one(Integer.class));
        assertThat(one).isEqualTo(1);
    }
}
