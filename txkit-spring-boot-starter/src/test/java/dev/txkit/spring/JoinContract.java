package dev.txkit.spring;

import com.zaxxer.hikari.HikariDataSource;
import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.Isolation;
import dev.txkit.Propagation;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.testing.DbKind;
import dev.txkit.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.UnexpectedRollbackException;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The rows of issue 11's table, in a Boot context with Boot's own auto-configured DataSource,
 * JdbcTemplate and transaction manager: each must end joined and correct (rollback undoes both
 * sides, commit keeps both, one backend connection, same-row work without a stall). Run once per
 * database by the subclasses.
 */
abstract class JoinContract {
    @Autowired
    Database db;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PlatformTransactionManager transactionManager;
    @Autowired
    SpringSide spring;
    @Autowired
    DataSource dataSource;

    abstract TestDatabase database();

    /** The server's id of the session a statement runs in. */
    private String backendSql() {
        return database().kind() == DbKind.POSTGRES ? "SELECT pg_backend_pid()" : "SELECT connection_id()";
    }

    @BeforeEach
    void freshRows() {
        jdbc.execute("DROP TABLE IF EXISTS account");
        jdbc.execute("CREATE TABLE account (id VARCHAR(10) PRIMARY KEY, balance INT NOT NULL)");
        jdbc.update("INSERT INTO account VALUES ('a-1', 0), ('b-1', 0)");
    }

    @AfterEach
    void nothingLeftOpen() {
        assertThat(db.openTransactions()).as("open txkit transactions").isZero();
        assertThat(db.inScope()).isFalse();
        assertThat(TransactionSynchronizationManager.isSynchronizationActive()).isFalse();
        assertThat(TransactionSynchronizationManager.getResourceMap()).isEmpty();
        assertThat(((HikariDataSource) dataSource).getHikariPoolMXBean().getActiveConnections()).isZero();
    }

    int balance(String id) {
        return jdbc.queryForObject("SELECT balance FROM account WHERE id = ?", Integer.class, id);
    }

    private String viaJdbc() {
        return jdbc.queryForObject(backendSql(), String.class);
    }

    private String viaTxkit() {
        return db.sql(backendSql()).one(String.class);
    }

    // ---- row 1: db.useTransaction { tx a-1; Boot's JdbcTemplate b-1; throw } ----------------

    @Test
    void txkitOuterWithJdbcTemplateInsideRollsBackBoth() {
        List<String> sessions = new ArrayList<>();
        assertThatThrownBy(() -> db.useTransaction(tx -> {
            tx.sql("UPDATE account SET balance = 1 WHERE id = 'a-1'").update();
            jdbc.update("UPDATE account SET balance = 1 WHERE id = 'b-1'");
            sessions.add(tx.sql(backendSql()).one(String.class));
            sessions.add(viaJdbc());
            throw new IllegalStateException("fail after both writes");
        })).hasMessage("fail after both writes");
        assertThat(sessions.get(1)).isEqualTo(sessions.get(0));
        assertThat(balance("a-1")).isZero();
        assertThat(balance("b-1")).isZero();
    }

    @Test
    void txkitOuterWithJdbcTemplateInsideCommitsBoth() {
        db.useTransaction(tx -> {
            tx.sql("UPDATE account SET balance = 1 WHERE id = 'a-1'").update();
            jdbc.update("UPDATE account SET balance = 1 WHERE id = 'b-1'");
            assertThat(viaJdbc()).isEqualTo(tx.sql(backendSql()).one(String.class));
        });
        assertThat(balance("a-1")).isEqualTo(1);
        assertThat(balance("b-1")).isEqualTo(1);
    }

    // ---- row 2: @Transactional { jdbcTemplate a-1; db.sql b-1; throw } -----------------------

    @Test
    void springOuterWithDbSqlInsideRollsBackBoth() {
        assertThatThrownBy(() -> spring.inTransaction(() -> {
            jdbc.update("UPDATE account SET balance = 1 WHERE id = 'a-1'");
            db.sql("UPDATE account SET balance = 1 WHERE id = 'b-1'").update();
            assertThat(db.inScope()).isTrue();
            assertThat(viaTxkit()).isEqualTo(viaJdbc());
            throw new IllegalStateException("fail after both writes");
        })).hasMessage("fail after both writes");
        assertThat(balance("a-1")).isZero();
        assertThat(balance("b-1")).isZero();
    }

    @Test
    void springOuterWithDbSqlAndTableInsideCommitsBoth() {
        spring.inTransaction(() -> {
            jdbc.update("UPDATE account SET balance = 1 WHERE id = 'a-1'");
            db.sql("UPDATE account SET balance = 1 WHERE id = 'b-1'").update();
            assertThat(db.table(Account.class).get("b-1").balance()).isEqualTo(1);
        });
        assertThat(balance("a-1")).isEqualTo(1);
        assertThat(balance("b-1")).isEqualTo(1);
    }

    // ---- row 3: @Transactional { jdbcTemplate a-1; db.sql a-1 } (same row) -------------------

    @Test
    void springOuterThenTxkitOnTheSameRowFinishesWithoutStall() {
        long start = System.nanoTime();
        spring.inTransaction(() -> {
            jdbc.update("UPDATE account SET balance = balance + 1 WHERE id = 'a-1'");
            db.sql("UPDATE account SET balance = balance + 1 WHERE id = 'a-1'").update();
        });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(balance("a-1")).isEqualTo(2);
    }

    // ---- row 4: @Transactional { jdbcTemplate a-1; db.useTransaction { a-1 } } ---------------

    @Test
    void txkitRequiredInsideSpringJoinsAndCommitsOnceAtTheOuterEnd() {
        spring.inTransaction(() -> {
            jdbc.update("UPDATE account SET balance = balance + 1 WHERE id = 'a-1'");
            db.useTransaction(tx -> {
                tx.sql("UPDATE account SET balance = balance + 1 WHERE id = 'a-1'").update();
                assertThat(tx.sql(backendSql()).one(String.class)).isEqualTo(viaJdbc());
            });
            // not committed yet: a connection outside sees nothing
            assertThat(outsideBalance("a-1")).isZero();
        });
        assertThat(balance("a-1")).isEqualTo(2);
    }

    @Test
    void txkitRequiredFailureInsideSpringRollsBackTheSpringTransaction() {
        assertThatThrownBy(() -> spring.inTransaction(() -> {
            jdbc.update("UPDATE account SET balance = 1 WHERE id = 'a-1'");
            try {
                db.useTransaction(tx -> {
                    tx.sql("UPDATE account SET balance = 1 WHERE id = 'b-1'").update();
                    throw new IllegalStateException("inner fails");
                });
            } catch (IllegalStateException swallowed) {
                // the outer code carries on: Spring must not commit half of the work
            }
        })).isInstanceOf(UnexpectedRollbackException.class);
        assertThat(balance("a-1")).isZero();
        assertThat(balance("b-1")).isZero();
    }

    // ---- row 5: db.useTransaction { tx a-1; @Transactional service b-1; throw } --------------

    @Test
    void transactionalServiceInsideTxkitRollsBackWithIt() {
        assertThatThrownBy(() -> db.useTransaction(tx -> {
            tx.sql("UPDATE account SET balance = 1 WHERE id = 'a-1'").update();
            spring.add("b-1", 1);
            throw new IllegalStateException("fail after both writes");
        })).hasMessage("fail after both writes");
        assertThat(balance("a-1")).isZero();
        assertThat(balance("b-1")).isZero();
    }

    @Test
    void transactionalServiceInsideTxkitCommitsWithItOnly() {
        db.useTransaction(tx -> {
            tx.sql("UPDATE account SET balance = 1 WHERE id = 'a-1'").update();
            spring.add("b-1", 1);
            assertThat(outsideBalance("b-1")).as("the service's REQUIRED did not commit on its own").isZero();
            String txkitSession = tx.sql(backendSql()).one(String.class);
            spring.inTransaction(() -> assertThat(viaJdbc()).as("a @Transactional method runs on txkit's connection")
                    .isEqualTo(txkitSession));
        });
        assertThat(balance("a-1")).isEqualTo(1);
        assertThat(balance("b-1")).isEqualTo(1);
    }

    @Test
    void failingServiceInsideTxkitMakesItsCommitRollbackOnly() {
        assertThatThrownBy(() -> db.useTransaction(tx -> {
            tx.sql("UPDATE account SET balance = 1 WHERE id = 'a-1'").update();
            try {
                spring.inTransaction(() -> {
                    throw new IllegalStateException("service fails");
                });
            } catch (IllegalStateException swallowed) {
                // carry on: txkit must not commit the half
            }
        })).isInstanceOfSatisfying(TxkitException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ROLLBACK_ONLY));
        assertThat(balance("a-1")).isZero();
    }

    // ---- propagation across the two worlds ---------------------------------------------------

    @Test
    void nestedTxkitScopeInsideTransactionTemplateUndoesOnlyItself() {
        new TransactionTemplate(transactionManager).executeWithoutResult(status -> {
            jdbc.update("UPDATE account SET balance = 1 WHERE id = 'a-1'");
            assertThatThrownBy(() -> db.useTransaction(TxOptions.defaults().withPropagation(Propagation.NESTED), tx -> {
                tx.sql("UPDATE account SET balance = 1 WHERE id = 'b-1'").update();
                throw new IllegalStateException("inner fails");
            })).hasMessage("inner fails");
        });
        assertThat(balance("a-1")).isEqualTo(1);
        assertThat(balance("b-1")).isZero();
    }

    @Test
    void txkitRequiresNewInsideSpringCommitsOnItsOwn() {
        assertThatThrownBy(() -> spring.inTransaction(() -> {
            String outer = viaJdbc();
            jdbc.update("UPDATE account SET balance = 1 WHERE id = 'a-1'");
            db.useTransaction(TxOptions.defaults().withPropagation(Propagation.REQUIRES_NEW), tx -> {
                tx.sql("UPDATE account SET balance = 1 WHERE id = 'b-1'").update();
                assertThat(tx.sql(backendSql()).one(String.class)).isNotEqualTo(outer);
                assertThat(viaJdbc()).as("Spring code inside the new one joins it").isNotEqualTo(outer);
            });
            assertThat(viaJdbc()).as("and Spring's own is back afterwards").isEqualTo(outer);
            throw new IllegalStateException("outer fails");
        })).hasMessage("outer fails");
        assertThat(balance("a-1")).isZero();
        assertThat(balance("b-1")).isEqualTo(1);
    }

    @Test
    void springRequiresNewInsideTxkitCommitsOnItsOwnAndTxkitFollowsIt() {
        assertThatThrownBy(() -> db.useTransaction(tx -> {
            String outer = tx.sql(backendSql()).one(String.class);
            tx.sql("UPDATE account SET balance = 1 WHERE id = 'a-1'").update();
            spring.requiresNew(() -> {
                db.sql("UPDATE account SET balance = 1 WHERE id = 'b-1'").update();
                assertThat(viaTxkit()).as("db.sql joins Spring's new transaction").isNotEqualTo(outer);
            });
            throw new IllegalStateException("outer fails");
        })).hasMessage("outer fails");
        assertThat(balance("a-1")).isZero();
        assertThat(balance("b-1")).isEqualTo(1);
    }

    // ---- the outer side's options win; a conflicting request is refused -----------------------

    @Test
    void askingTxkitForAnotherIsolationInsideSpringIsMisuse() {
        spring.readCommitted(() -> assertThatThrownBy(() -> db.useTransaction(
                TxOptions.defaults().withIsolation(Isolation.SERIALIZABLE), tx -> {
                }))
                .isInstanceOfSatisfying(TxkitException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MISUSE)));
    }

    @Test
    void askingSpringForAnotherIsolationInsideTxkitIsRefused() {
        db.useTransaction(TxOptions.defaults().withIsolation(Isolation.SERIALIZABLE), tx -> assertThatThrownBy(
                () -> spring.readCommitted(() -> {
                })).isInstanceOf(IllegalTransactionStateException.class));
    }

    @Test
    void readOnlySpringTransactionStaysReadOnlyForTxkit() {
        List<ErrorCode> inner = new ArrayList<>();
        assertThatThrownBy(() -> spring.readOnly(() -> {
            try {
                db.useTransaction(tx -> tx.sql("UPDATE account SET balance = 1 WHERE id = 'a-1'").update());
            } catch (TxkitException e) {
                inner.add(e.code());
            }
        })).as("the failed txkit scope made Spring's transaction rollback-only").isInstanceOf(UnexpectedRollbackException.class);
        assertThat(inner).containsExactly(ErrorCode.READ_ONLY_VIOLATION);
        assertThat(balance("a-1")).isZero();
    }

    // ---- declarative retries, other libraries, Boot's HikariCP 7 --------------------------------

    @Autowired
    RetriedService retried;
    @Autowired
    org.jooq.DSLContext jooq;

    @Test
    void txkitTransactionalRetriesTheWholeMethodAndRunsItsAfterCommitOnce() throws Exception {
        int[] counts;
        try (var rival = java.sql.DriverManager.getConnection(database().jdbcUrl(), database().user(), database().password())) {
            rival.setAutoCommit(false);
            retried.reset(rival);
            assertThat(retried.debitOnce("a-1")).as("the attempt that committed, inside a txkit scope").isEqualTo(2);
            counts = retried.counts();
        } finally {
            retried.reset(null);
        }
        assertThat(counts[0]).as("calls").isEqualTo(2);
        assertThat(counts[1]).as("only the final attempt's afterCommit ran").isEqualTo(1);
        assertThat(counts[2]).as("the failed attempt's synchronization heard of its rollback").isEqualTo(1);
        assertThat(balance("a-1")).isEqualTo(-1);
    }

    @Test
    void jooqAndJdbiJoinBothWays() {
        org.jdbi.v3.core.Jdbi springAware = org.jdbi.v3.core.Jdbi.create(
                new org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy(dataSource));
        assertThatThrownBy(() -> db.useTransaction(tx -> {
            String session = tx.sql(backendSql()).one(String.class);
            jooq.execute("UPDATE account SET balance = 1 WHERE id = 'a-1'");
            assertThat(jooq.fetchValue(backendSql()).toString()).isEqualTo(session);
            springAware.useHandle(h -> h.execute("UPDATE account SET balance = 1 WHERE id = 'b-1'"));
            String viaJdbi = springAware.withHandle(h -> h.createQuery(backendSql()).mapTo(String.class).one());
            assertThat(viaJdbi).isEqualTo(session);
            throw new IllegalStateException("undo both");
        })).hasMessage("undo both");
        assertThat(balance("a-1")).isZero();
        assertThat(balance("b-1")).isZero();

        org.jdbi.v3.core.Jdbi txkitAware = org.jdbi.v3.core.Jdbi.create(db.dataSource());
        spring.inTransaction(() -> {
            txkitAware.useHandle(h -> h.execute("UPDATE account SET balance = 2 WHERE id = 'a-1'"));
            String viaJdbi = txkitAware.withHandle(h -> h.createQuery(backendSql()).mapTo(String.class).one());
            assertThat(viaJdbi).isEqualTo(viaJdbc());
        });
        assertThat(balance("a-1")).isEqualTo(2);
    }

    @Test
    void selfDeadlockAcrossBothWorldsFailsFastInsteadOfStalling() {
        long start = System.nanoTime();
        List<ErrorCode> codes = new ArrayList<>();
        assertThatThrownBy(() -> spring.inTransaction(() -> {
            jdbc.update("UPDATE account SET balance = 1 WHERE id = 'a-1'");
            try {
                db.useTransaction(TxOptions.defaults().withPropagation(Propagation.REQUIRES_NEW)
                        .withTimeout(Duration.ofSeconds(20)), tx -> tx.sql("UPDATE account SET balance = 2 WHERE id = 'a-1'").update());
            } catch (TxkitException e) {
                codes.add(e.code());
                throw e;
            }
        })).isInstanceOf(TxkitException.class);
        assertThat(codes).containsExactly(ErrorCode.SELF_DEADLOCK);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(balance("a-1")).isZero();
    }

    @Test
    void maxWaitIsExactOnBootsHikariPool() throws Exception {
        assertThat(HikariDataSource.class.getProtectionDomain().getCodeSource().getLocation().toString())
                .as("the HikariCP that Boot brings").contains("HikariCP-7");
        HikariDataSource pool = (HikariDataSource) dataSource;
        assertThat(pool.getConnectionTimeout()).isEqualTo(30_000); // Boot's default: txkit must not wait that long
        List<java.sql.Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < pool.getMaximumPoolSize(); i++) {
                held.add(pool.getConnection());
            }
            long start = System.nanoTime();
            assertThatThrownBy(() -> db.useTransaction(TxOptions.defaults().withMaxWait(Duration.ofMillis(300)), tx -> {
            })).isInstanceOfSatisfying(TxkitException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ACQUIRE_TIMEOUT));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(290), Duration.ofMillis(2000));
        } finally {
            for (java.sql.Connection c : held) {
                c.close();
            }
        }
    }

    private int outsideBalance(String id) {
        try (var c = java.sql.DriverManager.getConnection(database().jdbcUrl(), database().user(), database().password());
             var s = c.prepareStatement("SELECT balance FROM account WHERE id = ?")) {
            s.setString(1, id);
            try (var rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A record for {@code db.table}. */
    record Account(@dev.txkit.table.Id String id, int balance) {
    }
}
