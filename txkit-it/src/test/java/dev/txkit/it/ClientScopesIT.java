package dev.txkit.it;

import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;
import dev.txkit.jooq.TxkitTransactionProvider;
import dev.txkit.testing.DbKind;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Client libraries' own transaction handles meeting a txkit scope (issue 10): jOOQ's
 * {@code transaction(...)} with {@link TxkitTransactionProvider} is a nested scope (savepoint) inside
 * a txkit transaction and a txkit transaction outside one; a JDBI {@code Handle} opened before the
 * scope joins it for new statements and refuses, with MISUSE naming the fix, what would run outside.
 */
class ClientScopesIT extends DbIT {
    static {
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
    }

    private static final String INSERT = "INSERT INTO item (id, name) VALUES (?, ?)";

    @BeforeEach
    void table() {
        for (DbKind kind : available(DbKind.POSTGRES, DbKind.MARIADB)) {
            schema(kind).execute("DROP TABLE IF EXISTS item", "CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(50))");
        }
    }

    private DSLContext jooq(Database db, DbKind kind, boolean onRawPool) throws SQLException {
        SQLDialect dialect = kind == DbKind.POSTGRES ? SQLDialect.POSTGRES : SQLDialect.MARIADB;
        DefaultConfiguration config = new DefaultConfiguration();
        config.set(onRawPool ? db.dataSource().unwrap(com.zaxxer.hikari.HikariDataSource.class) : db.dataSource());
        return DSL.using(config.set(dialect).set(new TxkitTransactionProvider(db)));
    }

    /** Rows as another session sees them. */
    private List<String> committed(DbKind kind) throws SQLException {
        try (Connection c = schema(kind).unpooledDataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT name FROM item ORDER BY id")) {
            List<String> names = new java.util.ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            return names;
        }
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void jooqTransactionInsideAScopeIsASavepoint(DbKind kind) throws SQLException {
        Database db = db(kind);
        DSLContext dsl = jooq(db, kind, false);
        db.useTransaction(tx -> {
            tx.sql(INSERT, 1, "outer").update();
            dsl.transaction(c -> c.dsl().execute(INSERT, 2, "jooq-kept"));
            assertThatThrownBy(() -> dsl.transaction(c -> {
                c.dsl().execute(INSERT, 3, "jooq-undone");
                throw new IllegalStateException("inner block fails");
            })).isInstanceOf(IllegalStateException.class);
            assertThat(tx.sql("SELECT COUNT(*) FROM item").one(Long.class)).as("only the failed block was undone").isEqualTo(2L);
            assertThat(committed(kind)).as("nothing committed before the outer transaction").isEmpty();
        });
        assertThat(committed(kind)).containsExactly("outer", "jooq-kept");
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void jooqTransactionInsideAScopeRollsBackWithTheOuterTransaction(DbKind kind) throws SQLException {
        Database db = db(kind);
        DSLContext dsl = jooq(db, kind, true); // even a DSLContext on the raw pool runs its block in the scope
        assertThatThrownBy(() -> db.useTransaction(tx -> {
            dsl.transaction(c -> c.dsl().execute(INSERT, 1, "jooq"));
            throw new IllegalStateException("outer fails");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(committed(kind)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void jooqTransactionOutsideAScopeIsATxkitTransaction(DbKind kind) throws SQLException {
        Database db = db(kind);
        DSLContext dsl = jooq(db, kind, false);
        dsl.transaction(c -> {
            c.dsl().execute(INSERT, 1, "committed");
            assertThat(db.inScope()).as("txkit's scope is bound inside the block").isTrue();
            db.sql(INSERT, 2, "routed").update();
        });
        assertThatThrownBy(() -> dsl.transaction(c -> {
            c.dsl().execute(INSERT, 3, "undone");
            throw new IllegalStateException("block fails");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(committed(kind)).containsExactly("committed", "routed");
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void aJdbiHandleOpenedBeforeTheScopeJoinsItForNewStatements(DbKind kind) throws SQLException {
        Database db = db(kind);
        try (Handle early = Jdbi.create(db.dataSource()).open()) {
            assertThatThrownBy(() -> db.useTransaction(tx -> {
                tx.sql(INSERT, 1, "tx").update();
                early.execute(INSERT, 2, "early-handle");
                assertThat(tx.sql("SELECT COUNT(*) FROM item").one(Long.class)).as("joined").isEqualTo(2L);
                throw new IllegalStateException("roll back");
            })).isInstanceOf(IllegalStateException.class);
            assertThat(committed(kind)).as("the handle's write rolled back with the transaction").isEmpty();
            early.execute(INSERT, 3, "after");  // outside the scope it is an ordinary autocommit handle again
        }
        assertThat(committed(kind)).containsExactly("after");
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void whatAPreOpenedHandleWouldRunOutsideTheScopeFailsWithMisuse(DbKind kind) throws SQLException {
        Database db = db(kind);
        try (Handle early = Jdbi.create(db.dataSource()).open();
             var prepared = early.getConnection().prepareStatement(INSERT)) {
            db.useTransaction(tx -> {
                assertThatThrownBy(early::begin).satisfies(e -> misuseNamingTheFix(e));
                prepared.setInt(1, 9);
                prepared.setString(2, "prepared-before");
                assertThatThrownBy(prepared::executeUpdate).satisfies(e -> misuseNamingTheFix(e));
            });
        }
        assertThat(committed(kind)).isEmpty();
    }

    private static void misuseNamingTheFix(Throwable e) {
        Throwable t = e;
        while (t != null && !(t instanceof TxkitException)) {
            t = t.getCause();
        }
        assertThat(t).as("a TxkitException in " + e).isInstanceOfSatisfying(TxkitException.class, x -> {
            assertThat(x.code()).isEqualTo(ErrorCode.MISUSE);
            assertThat(x.getMessage()).contains("borrowed from db.dataSource() before that transaction began")
                    .contains("inside the transaction's callback");
        });
    }
}
