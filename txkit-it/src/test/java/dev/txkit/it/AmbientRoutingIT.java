package dev.txkit.it;

import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.Propagation;
import dev.txkit.Transaction;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.testing.DbKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Inside a transaction scope the root {@code Database} routes to the scope's transaction:
 * {@code db.sql}, {@code db.inTransaction} (REQUIRED) and {@code db.dataSource()}. The DataSource's
 * view refuses what only the transaction may do. Strict mode refuses the root client instead.
 */
class AmbientRoutingIT extends DbIT {
    private static final TxOptions MANDATORY = TxOptions.defaults().withPropagation(Propagation.MANDATORY);
    private static final TxOptions NESTED = TxOptions.defaults().withPropagation(Propagation.NESTED);
    private static final TxOptions REQUIRES_NEW = TxOptions.defaults().withPropagation(Propagation.REQUIRES_NEW);

    @BeforeEach
    void table() {
        for (DbKind kind : available(DbKind.values())) {
            schema(kind).execute("DROP TABLE IF EXISTS item", "CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(50))");
        }
    }

    private long count(Database db) {
        return db.sql("SELECT COUNT(*) FROM item").one(Long.class);
    }

    static String sessionQuery(DbKind kind) {
        switch (kind) {
            case POSTGRES:
                return "SELECT pg_backend_pid()";
            case MARIADB:
                return "SELECT CONNECTION_ID()";
            case H2:
                return "SELECT SESSION_ID()";
            default:
                return null;
        }
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void theRootClientJoinsTheScopesTransaction(DbKind kind) {
        Database db = db(kind);
        assertThatThrownBy(() -> db.useTransaction(tx -> {
            tx.sql("INSERT INTO item VALUES (1, 'tx')").update();
            assertThat(db.sql("SELECT COUNT(*) FROM item").one(Long.class)).as("db.sql sees the uncommitted row").isEqualTo(1L);
            db.sql("INSERT INTO item VALUES (2, 'db.sql')").update();
            db.useTransaction(inner -> inner.sql("INSERT INTO item VALUES (3, 'required')").update());
            assertThat(tx.sql("SELECT COUNT(*) FROM item").one(Long.class)).isEqualTo(3L);
            throw new IllegalStateException("roll back everything");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(count(db)).isZero();
        assertThat(db.inScope()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB", "H2"})
    void theDataSourceHandsOutAViewOfTheTransactionsConnection(DbKind kind) throws SQLException {
        Database db = db(kind);
        db.useTransaction(tx -> {
            Object txSession = tx.sql(sessionQuery(kind)).one(Object.class);
            try (Connection c = db.dataSource().getConnection()) {
                assertThat(c.getAutoCommit()).isFalse();
                c.setAutoCommit(false); // already off: a no-op, as JDBC defines it
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sessionQuery(kind))) {
                    rs.next();
                    assertThat(rs.getObject(1)).as("same server session as the transaction").isEqualTo(txSession);
                }
                assertMisuse(c::commit, "commit()");
                assertMisuse(c::rollback, "rollback()");
                assertMisuse(() -> c.setAutoCommit(true), "setAutoCommit(true)");
            }
            // closing the view did not end anything: the transaction goes on
            tx.sql("INSERT INTO item VALUES (1, 'after close')").update();
        });
        assertThat(count(db)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void outsideAScopeTheDataSourceHandsOutPooledConnectionsAndTakesThemBack(DbKind kind) throws SQLException {
        Database db = db(kind);
        try (Connection c = db.dataSource().getConnection()) {
            assertThat(c.getAutoCommit()).isTrue();
            assertThat(db.activeConnections()).isEqualTo(1);
            c.setAutoCommit(false);
            c.createStatement().executeUpdate("INSERT INTO item VALUES (1, 'own tx')");
            c.rollback();
            c.setAutoCommit(true);
        }
        assertThat(db.activeConnections()).isZero();
        assertThat(count(db)).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void strictModeRefusesTheRootClientInsideAScopeAndNamesTheFix(DbKind kind) {
        Database db = watch(Database.builder(closeLater(schema(kind).newPool(3))).strict(true).build());
        db.useTransaction(tx -> {
            tx.sql("INSERT INTO item VALUES (1, 'tx')").update();
            assertStrict(() -> db.sql("SELECT COUNT(*) FROM item").one(Long.class), "db.sql(...)");
            assertStrict(() -> db.dataSource().getConnection(), "db.dataSource().getConnection()");
            assertStrict(() -> db.inTransaction(inner -> inner.sql("SELECT 1").one(Integer.class)), "db.inTransaction(...)");
            assertStrict(db::begin, "db.begin()");
            // saying what you mean still works
            db.useTransaction(MANDATORY, inner -> inner.sql("INSERT INTO item VALUES (2, 'mandatory')").update());
            db.useTransaction(NESTED, inner -> inner.sql("INSERT INTO item VALUES (3, 'nested')").update());
        });
        db.useTransaction(REQUIRES_NEW, tx -> tx.sql("INSERT INTO item VALUES (4, 'requires new')").update());
        assertThat(db.sql("SELECT COUNT(*) FROM item").one(Long.class)).as("outside a scope db.sql works").isEqualTo(4L);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES"})
    void strictModeAlsoAppliesToManualTransactions(DbKind kind) {
        Database db = watch(Database.builder(closeLater(schema(kind).newPool(2))).strict(true).build());
        try (Transaction tx = db.begin()) {
            tx.sql("INSERT INTO item VALUES (1, 'tx')").update();
            assertStrict(() -> db.sql("INSERT INTO item VALUES (2, 'root')").update(), "db.sql(...)");
            tx.commit();
        }
        assertThat(count(db)).isEqualTo(1);
    }

    interface Call {
        Object call() throws Exception;
    }

    interface Action {
        void run() throws Exception;
    }

    private static void assertMisuse(Action action, String what) {
        assertThatThrownBy(action::run).isInstanceOfSatisfying(TxkitException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.MISUSE);
            assertThat(e.getMessage()).contains(what);
        });
    }

    private static void assertStrict(Call call, String what) {
        assertThatThrownBy(call::call).isInstanceOfSatisfying(TxkitException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.MISUSE);
            assertThat(e.getMessage()).contains(what).contains("strict mode").contains("use the Transaction passed to your callback");
        });
    }
}
