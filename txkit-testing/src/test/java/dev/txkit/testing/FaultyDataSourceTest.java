package dev.txkit.testing;

import com.zaxxer.hikari.HikariDataSource;
import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.retry.RetryPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fault-injecting DataSource fires exactly where armed, and txkit classifies what it throws. */
class FaultyDataSourceTest {
    private static final TxOptions ONCE = TxOptions.defaults().withRetry(RetryPolicy.none());

    private TestDatabase h2;
    private HikariDataSource pool;
    private FaultyDataSource faulty;
    private Database db;

    @BeforeEach
    void open() {
        h2 = TestDatabases.create(DbKind.H2, "faulty");
        h2.execute("CREATE TABLE item (id INT PRIMARY KEY)");
        pool = h2.newPool(2);
        faulty = FaultyDataSource.wrap(pool);
        db = Database.create(faulty);
    }

    @AfterEach
    void close() {
        assertThat(db.openTransactions()).isZero();
        assertThat(pool.getHikariPoolMXBean().getActiveConnections()).as("connections returned").isZero();
        db.close();
        h2.close();
    }

    private long rows() {
        return db.sql("SELECT COUNT(*) FROM item").one(Long.class);
    }

    @Test
    void theNthStatementFailsWithTheChosenExceptionWithoutRunning() throws SQLException {
        faulty.failStatement(2, Faults.serializationFailure());
        try (Connection c = faulty.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO item VALUES (1)");
            assertThatThrownBy(() -> st.executeUpdate("INSERT INTO item VALUES (2)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("40001"));
            st.executeUpdate("INSERT INTO item VALUES (3)"); // one-shot: disarmed after firing
        }
        assertThat(db.sql("SELECT id FROM item ORDER BY id").list(Integer.class)).containsExactly(1, 3);
        assertThat(faulty.statements()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void txkitSeesInjectedConflictsAndDeadlocksAsTheRealThing() {
        faulty.failStatement(1, Faults.serializationFailure());
        assertCode(() -> db.useTransaction(ONCE, tx -> tx.sql("INSERT INTO item VALUES (1)").update()), ErrorCode.CONFLICT);
        faulty.failStatement(1, Faults.deadlock());
        assertCode(() -> db.useTransaction(ONCE, tx -> tx.sql("INSERT INTO item VALUES (1)").update()), ErrorCode.DEADLOCK);
        faulty.failStatement(2, Faults.mariaDbDeadlock());
        assertThatThrownBy(() -> db.useTransaction(ONCE, tx -> {
            tx.sql("INSERT INTO item VALUES (1)").update();
            tx.sql("INSERT INTO item VALUES (2)").update();
        })).isInstanceOfSatisfying(TxkitException.class, e -> {
            // H2's dialect knows no MariaDB vendor codes; SQLSTATE 40001 still makes it a retryable conflict
            assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
            assertThat(e.vendorCode()).isEqualTo(1213);
            assertThat(e.sqlState()).isEqualTo("40001");
        });
        assertThat(rows()).as("the first insert was rolled back with the transaction").isZero();
    }

    @Test
    void aFailedCommitRollsBackForReal() {
        faulty.failCommit(Faults.mariaDbDeadlock());
        assertCode(() -> db.useTransaction(ONCE, tx -> tx.sql("INSERT INTO item VALUES (1)").update()), ErrorCode.CONFLICT);
        assertThat(rows()).isZero();
        assertThat(faulty.commits()).isEqualTo(1);
    }

    @Test
    void aConnectionDroppedAfterCommitLeavesTheOutcomeUnknownButCommitted() {
        faulty.dropConnectionAfterCommit();
        assertCode(() -> db.useTransaction(ONCE, tx -> tx.sql("INSERT INTO item VALUES (1)").update()),
                ErrorCode.COMMIT_UNKNOWN);
        assertThat(rows()).as("it did commit; only the reply was lost").isEqualTo(1);
    }

    @Test
    void aConnectionDroppedAtAStatementFailsTheTransaction() {
        faulty.dropConnectionAtStatement(2);
        assertCode(() -> db.useTransaction(ONCE, tx -> {
            tx.sql("INSERT INTO item VALUES (1)").update();
            tx.sql("INSERT INTO item VALUES (2)").update();
        }), ErrorCode.CONNECTION_FAILURE);
        assertThat(rows()).isZero();
        assertThat(db.sql("SELECT 1").one(Integer.class)).as("the pool replaced the dropped connection").isEqualTo(1);
    }

    @Test
    void badArgumentsAreInvalid() {
        assertThatThrownBy(() -> faulty.failStatement(0, Faults.deadlock())).isInstanceOf(TxkitException.class);
        assertThatThrownBy(() -> faulty.failCommit(null)).isInstanceOf(TxkitException.class);
        assertThatThrownBy(() -> FaultyDataSource.wrap(null)).isInstanceOf(TxkitException.class);
    }

    static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(TxkitException.class,
                e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(code));
    }
}
