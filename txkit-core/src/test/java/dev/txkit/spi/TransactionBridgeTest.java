package dev.txkit.spi;

import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.Isolation;
import dev.txkit.Propagation;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@link TransactionBridge} contract with a toy "other manager" over H2: txkit joins its
 * transaction (same connection, rollback-only, hooks at its end) and binds txkit's own.
 */
class TransactionBridgeTest {
    private final ToyManager toy = new ToyManager();
    private JdbcDataSource ds;
    private Database db;

    @BeforeEach
    void setUp() throws SQLException {
        ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:bridge" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("create table item (name varchar(20))");
        }
        db = Database.builder(ds).transactionBridge(toy).build();
    }

    @AfterEach
    void tearDown() {
        assertThat(db.openTransactions()).isZero();
        assertThat(db.inScope()).isFalse();
        db.close();
    }

    @Test
    void statementsAndRequiredScopesJoinTheForeignTransaction() throws SQLException {
        toy.begin(null);
        db.sql("insert into item values ('a')").update();
        db.useTransaction(tx -> tx.sql("insert into item values ('b')").update());
        assertThat(db.inScope()).isTrue();
        assertThat(countOn(toy.foreign.connection)).isEqualTo(2); // its connection sees them: same transaction
        assertThat(countOutside()).isZero();
        toy.end(false);
        assertThat(countOutside()).isZero();
    }

    @Test
    void failedJoinedScopeMarksTheForeignTransactionRollbackOnly() {
        toy.begin(null);
        assertThatThrownBy(() -> db.useTransaction(tx -> {
            tx.sql("insert into item values ('a')").update();
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(toy.foreign.rollbackOnly).isTrue();
        toy.end(false);
    }

    @Test
    void afterCommitHooksWaitForTheForeignCommit() throws SQLException {
        toy.begin(null);
        AtomicBoolean ran = new AtomicBoolean();
        db.useTransaction(tx -> tx.afterCommit(() -> ran.set(true)));
        assertThat(ran).isFalse();
        toy.foreign.connection.commit();
        toy.end(true);
        assertThat(ran).isTrue();
    }

    @Test
    void nestedScopeUndoesOnlyItself() throws SQLException {
        toy.begin(null);
        db.sql("insert into item values ('outer')").update();
        assertThatThrownBy(() -> db.useTransaction(TxOptions.defaults().withPropagation(Propagation.NESTED), tx -> {
            tx.sql("insert into item values ('inner')").update();
            throw new IllegalStateException("inner fails");
        })).hasMessage("inner fails");
        assertThat(countOn(toy.foreign.connection)).isEqualTo(1);
        assertThat(toy.foreign.rollbackOnly).isFalse();
        toy.end(false);
    }

    @Test
    void askingForAnotherIsolationInsideIsMisuse() {
        toy.begin(Isolation.READ_COMMITTED);
        assertThatThrownBy(() -> db.useTransaction(TxOptions.defaults().withIsolation(Isolation.SERIALIZABLE), tx -> {
        })).isInstanceOfSatisfying(TxkitException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MISUSE));
        toy.end(false);
    }

    @Test
    void ownTransactionIsBoundForTheOtherManagerAndUnboundOnce() throws SQLException {
        db.useTransaction(tx -> {
            assertThat(toy.bound).hasSize(1);
            try (Statement s = toy.bound.get(0).connection().createStatement()) {
                s.executeUpdate("insert into item values ('via other manager')");
            }
            assertThat(toy.bound.get(0).options().timeout()).isEqualTo(TxOptions.DEFAULT_TIMEOUT);
        });
        assertThat(toy.events).containsExactly("beforeCommit", "ended(true)");
        assertThat(countOutside()).isEqualTo(1);

        assertThatThrownBy(() -> db.useTransaction(tx -> {
            throw new IllegalStateException("x");
        }));
        assertThat(toy.events).containsExactly("beforeCommit", "ended(true)", "ended(false)");
    }

    @Test
    void participantOfTheOtherManagerFailingMakesCommitRollbackOnly() throws SQLException {
        assertThatThrownBy(() -> db.useTransaction(tx -> {
            tx.sql("insert into item values ('a')").update();
            toy.bound.get(0).setRollbackOnly("a participant failed");
        })).isInstanceOfSatisfying(TxkitException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ROLLBACK_ONLY));
        assertThat(countOutside()).isZero();
    }

    @Test
    void failingBeforeCommitRollsBack() throws SQLException {
        toy.vetoCommit = true;
        assertThatThrownBy(() -> db.useTransaction(tx -> tx.sql("insert into item values ('a')").update()))
                .isInstanceOfSatisfying(TxkitException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ROLLBACK_ONLY));
        assertThat(countOutside()).isZero();
        assertThat(toy.events).containsExactly("beforeCommit", "ended(false)");
    }

    @Test
    void whenTheOtherManagerSuspendsTxkitItsOwnTransactionIsJoined() throws SQLException {
        db.useTransaction(tx -> {
            tx.sql("insert into item values ('txkit')").update();
            toy.begin(null); // like Spring's REQUIRES_NEW inside a txkit transaction
            toy.suspended = true;
            db.sql("insert into item values ('other')").update();
            assertThat(countOn(toy.foreign.connection)).isEqualTo(1);
            toy.foreign.connection.commit();
            toy.end(true);
            toy.suspended = false;
        });
        assertThat(countOutside()).isEqualTo(2);
    }

    private int countOutside() throws SQLException {
        try (Connection c = ds.getConnection()) {
            return countOn(c);
        }
    }

    private static int countOn(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); var rs = s.executeQuery("select count(*) from item")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** A minimal other transaction manager: one foreign transaction at a time, on the test's thread. */
    private final class ToyManager implements TransactionBridge {
        Foreign foreign;
        boolean suspended;
        boolean vetoCommit;
        final List<BoundTransaction> bound = new ArrayList<>();
        final List<String> events = new ArrayList<>();

        void begin(Isolation isolation) {
            try {
                Connection c = ds.getConnection();
                c.setAutoCommit(false);
                foreign = new Foreign(c, isolation);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        void end(boolean committed) {
            Foreign f = foreign;
            foreign = null;
            try {
                if (!committed) {
                    f.connection.rollback();
                }
                f.connection.close();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            if (f.onEnd != null) {
                f.onEnd.ended(committed);
            }
        }

        @Override
        public ForeignTransaction current(DataSource dataSource) {
            return foreign;
        }

        @Override
        public Binding bind(DataSource dataSource, BoundTransaction transaction) {
            bound.add(transaction);
            return new Binding() {
                @Override
                public void beforeCommit() {
                    events.add("beforeCommit");
                    if (vetoCommit) {
                        throw new IllegalStateException("veto");
                    }
                }

                @Override
                public void ended(boolean committed) {
                    events.add("ended(" + committed + ")");
                }

                @Override
                public boolean suspended() {
                    return suspended;
                }
            };
        }
    }

    private static final class Foreign implements TransactionBridge.ForeignTransaction {
        final Connection connection;
        final Isolation isolation;
        boolean rollbackOnly;
        Object state;
        TransactionBridge.EndListener onEnd;

        Foreign(Connection connection, Isolation isolation) {
            this.connection = connection;
            this.isolation = isolation;
        }

        @Override
        public Connection connection() {
            return connection;
        }

        @Override
        public Isolation isolation() {
            return isolation;
        }

        @Override
        public boolean readOnly() {
            return false;
        }

        @Override
        public Duration remaining() {
            return null;
        }

        @Override
        public void setRollbackOnly() {
            rollbackOnly = true;
        }

        @Override
        public Object attachment() {
            return state;
        }

        @Override
        public void attach(Object state, TransactionBridge.EndListener onEnd) {
            this.state = state;
            this.onEnd = onEnd;
        }
    }
}
