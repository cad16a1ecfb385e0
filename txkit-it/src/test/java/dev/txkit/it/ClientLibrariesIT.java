package dev.txkit.it;

import dev.txkit.Database;
import dev.txkit.testing.DbKind;
import org.jdbi.v3.core.Jdbi;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Real client libraries handed {@code db.dataSource()}: JDBI 3, jOOQ, Spring's JdbcTemplate and plain
 * JDBC. Inside {@code db.inTransaction} their writes join the transaction, commit with it and roll
 * back with it; outside a scope they autocommit on a pooled connection that goes back to the pool.
 */
class ClientLibrariesIT extends DbIT {
    static {
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
        // jOOQ's first DSLContext initialises its data types for every dialect, seconds on a loaded
        // machine: do it here, not inside a transaction with a 5 s timeout
        DSL.using(SQLDialect.POSTGRES);
    }

    /** One way of writing a row {@code (id, name)} without a Transaction in hand. */
    enum Client {
        JDBI {
            @Override
            void insert(Database db, DbKind kind, int id) {
                Jdbi.create(db.dataSource()).useHandle(h -> h.execute(INSERT, id, name()));
            }
        },
        JOOQ {
            @Override
            void insert(Database db, DbKind kind, int id) {
                SQLDialect dialect = kind == DbKind.POSTGRES ? SQLDialect.POSTGRES : SQLDialect.MARIADB;
                DSL.using(db.dataSource(), dialect).insertInto(DSL.table("item"), DSL.field("id"), DSL.field("name"))
                        .values(id, name()).execute();
            }
        },
        JDBC_TEMPLATE {
            @Override
            void insert(Database db, DbKind kind, int id) {
                new JdbcTemplate(db.dataSource()).update(INSERT, id, name());
            }
        },
        PLAIN_JDBC {
            @Override
            void insert(Database db, DbKind kind, int id) throws SQLException {
                try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(INSERT)) {
                    ps.setInt(1, id);
                    ps.setString(2, name());
                    ps.executeUpdate();
                }
            }
        },
        DB_SQL {
            @Override
            void insert(Database db, DbKind kind, int id) {
                db.sql(INSERT, id, name()).update();
            }
        };

        static final String INSERT = "INSERT INTO item (id, name) VALUES (?, ?)";

        abstract void insert(Database db, DbKind kind, int id) throws SQLException;
    }

    static Stream<Arguments> everyClientOnEveryServer() {
        List<Arguments> all = new ArrayList<>();
        for (DbKind kind : new DbKind[]{DbKind.POSTGRES, DbKind.MARIADB}) {
            for (Client client : Client.values()) {
                all.add(Arguments.of(kind, client));
            }
        }
        return all.stream();
    }

    @BeforeEach
    void table() {
        for (DbKind kind : available(DbKind.POSTGRES, DbKind.MARIADB)) {
            schema(kind).execute("DROP TABLE IF EXISTS item", "CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(50))");
        }
    }

    private List<String> committed(DbKind kind) {
        return db(kind).sql("SELECT name FROM item ORDER BY id").list(String.class);
    }

    @ParameterizedTest
    @MethodSource("everyClientOnEveryServer")
    void writesInsideTheScopeCommitWithTheTransaction(DbKind kind, Client client) throws SQLException {
        Database db = db(kind);
        db.useTransaction(tx -> {
            tx.sql(Client.INSERT, 1, "tx").update();
            client.insert(db, kind, 2);
            assertThat(tx.sql("SELECT COUNT(*) FROM item").one(Long.class)).as("the transaction sees the write").isEqualTo(2L);
            assertThat(committedElsewhere(kind)).as("nothing is visible outside before COMMIT").isZero();
        });
        assertThat(committed(kind)).containsExactly("tx", client.name());
    }

    @ParameterizedTest
    @MethodSource("everyClientOnEveryServer")
    void writesInsideTheScopeRollBackWithTheTransaction(DbKind kind, Client client) {
        Database db = db(kind);
        assertThatThrownBy(() -> db.useTransaction(tx -> {
            tx.sql(Client.INSERT, 1, "tx").update();
            client.insert(db, kind, 2);
            throw new IllegalStateException("business rule failed after the write");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(committed(kind)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("everyClientOnEveryServer")
    void outsideAScopeEachWriteAutocommitsOnAPooledConnection(DbKind kind, Client client) throws SQLException {
        client.insert(db(kind), kind, 1);
        assertThat(committedElsewhere(kind)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void rollingBackTheScopeUndoesTheWritesOfAllLibrariesTogether(DbKind kind) throws SQLException {
        Database db = db(kind);
        assertThatThrownBy(() -> db.useTransaction(tx -> {
            int id = 0;
            for (Client client : Client.values()) {
                client.insert(db, kind, ++id);
            }
            assertThat(tx.sql("SELECT COUNT(*) FROM item").one(Long.class)).isEqualTo(Client.values().length);
            throw new IllegalStateException("roll them all back");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(committed(kind)).isEmpty();
        db.useTransaction(tx -> {
            int id = 0;
            for (Client client : Client.values()) {
                client.insert(db, kind, ++id);
            }
        });
        assertThat(committed(kind)).containsExactly("JDBI", "JOOQ", "JDBC_TEMPLATE", "PLAIN_JDBC", "DB_SQL");
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void jdbisOwnTransactionInsideTheScopeJoinsIt(DbKind kind) {
        Database db = db(kind);
        Jdbi jdbi = Jdbi.create(db.dataSource());
        assertThatThrownBy(() -> db.useTransaction(tx -> {
            // the view reports autocommit off, so JDBI sees a transaction in progress and does not commit
            jdbi.useTransaction(h -> h.execute(Client.INSERT, 1, "jdbi"));
            throw new IllegalStateException("the outer scope fails");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(committed(kind)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void jooqsOwnTransactionInsideTheScopeCannotCommitIt(DbKind kind) {
        Database db = db(kind);
        SQLDialect dialect = kind == DbKind.POSTGRES ? SQLDialect.POSTGRES : SQLDialect.MARIADB;
        assertThatThrownBy(() -> db.useTransaction(tx -> DSL.using(db.dataSource(), dialect).transaction(cfg ->
                DSL.using(cfg).execute(Client.INSERT, 1, "jooq"))))
                .satisfies(e -> assertThat(misuseIn(e)).as("MISUSE in " + e).isTrue());
        assertThat(committed(kind)).isEmpty();
    }

    private static boolean misuseIn(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof dev.txkit.TxkitException && ((dev.txkit.TxkitException) c).code() == dev.txkit.ErrorCode.MISUSE) {
                return true;
            }
        }
        return false;
    }

    /** Rows visible to a separate, unpooled connection: what other sessions see. */
    private int committedElsewhere(DbKind kind) throws SQLException {
        try (Connection c = schema(kind).unpooledDataSource().getConnection();
             java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM item")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
