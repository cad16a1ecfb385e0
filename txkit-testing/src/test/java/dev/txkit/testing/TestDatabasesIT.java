package dev.txkit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TestDatabasesIT {

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void createsUsesAndDrops(DbKind kind) throws Exception {
        TestDatabase db = TestDatabases.create(kind, "TestDatabasesIT roundTrip");
        assertThat(db.kind()).isEqualTo(kind);
        assertThat(db.name()).matches("txkit_testdatabasesit_roundtrip_[0-9a-f]{8}");

        db.execute("CREATE TABLE account (id INT PRIMARY KEY, balance INT NOT NULL)",
                "INSERT INTO account (id, balance) VALUES (1, 100)");
        assertThat(balance(db.unpooledDataSource(), 1)).isEqualTo(100);
        try (HikariDataSource pool = db.newPool(2)) {
            assertThat(pool.getMaximumPoolSize()).isEqualTo(2);
            assertThat(pool.getPoolName()).startsWith(db.name());
            assertThat(balance(pool, 1)).isEqualTo(100);
        }
        if (kind == DbKind.POSTGRES) {
            // currentSchema in the URL must send unqualified DDL into our schema, not public.
            assertThat(pgTableSchema("account", db.name())).isTrue();
        }

        db.close();
        db.close(); // idempotent
        assertGone(db);
        assertThatThrownBy(() -> db.execute("SELECT 1")).isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void twoDatabasesDoNotSeeEachOther(DbKind kind) throws Exception {
        try (TestDatabase a = TestDatabases.create(kind, "iso");
             TestDatabase b = TestDatabases.create(kind, "iso")) {
            assertThat(a.name()).isNotEqualTo(b.name());
            a.execute("CREATE TABLE account (id INT PRIMARY KEY, balance INT NOT NULL)",
                    "INSERT INTO account (id, balance) VALUES (1, 100)");
            b.execute("CREATE TABLE account (id INT PRIMARY KEY, balance INT NOT NULL)",
                    "INSERT INTO account (id, balance) VALUES (1, 7)");
            assertThat(balance(a.unpooledDataSource(), 1)).isEqualTo(100);
            assertThat(balance(b.unpooledDataSource(), 1)).isEqualTo(7);
        }
    }

    @Test
    void closeAlsoClosesForgottenPools() {
        HikariDataSource pool;
        try (TestDatabase db = TestDatabases.create(DbKind.H2, "pools")) {
            pool = db.newPool(1);
        }
        assertThat(pool.isClosed()).isTrue();
    }

    @Test
    void setupErrorsNameTheStatement() {
        try (TestDatabase db = TestDatabases.create(DbKind.H2, "bad")) {
            assertThatThrownBy(() -> db.execute("CREATE TABLE"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("CREATE TABLE")
                    .hasCauseInstanceOf(SQLException.class);
        }
    }

    @Test
    void namesAreSanitizedAndUnique() {
        assertThat(TestDatabases.uniqueName("My-Test.Class$1"))
                .matches("txkit_my_test_class_1_[0-9a-f]{8}");
        assertThat(TestDatabases.uniqueName("x".repeat(100)))
                .hasSize("txkit_".length() + 30 + 9);
        assertThat(TestDatabases.uniqueName(null)).startsWith("txkit_db_");
        assertThat(TestDatabases.uniqueName("a")).isNotEqualTo(TestDatabases.uniqueName("a"));
    }

    private static int balance(DataSource ds, int id) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT balance FROM account WHERE id = ?")) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getInt(1);
            }
        }
    }

    private static boolean pgTableSchema(String table, String schema) throws SQLException {
        try (Connection c = PostgresServer.get().adminConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM information_schema.tables"
                     + " WHERE table_name = ? AND table_schema = ?")) {
            ps.setString(1, table);
            ps.setString(2, schema);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) == 1;
            }
        }
    }

    private static void assertGone(TestDatabase db) throws Exception {
        switch (db.kind()) {
            case POSTGRES -> {
                try (Connection c = PostgresServer.get().adminConnection()) {
                    assertThat(countSchemata(c, db.name())).isZero();
                }
            }
            case MARIADB -> {
                try (Connection c = DriverManager.getConnection(
                        "jdbc:mariadb://" + TestDatabases.MARIADB_HOST + "/", "root", "")) {
                    assertThat(countSchemata(c, db.name())).isZero();
                }
            }
            case H2 -> {
                // After SHUTDOWN the same name opens a brand-new, empty in-memory database.
                try (Connection c = DriverManager.getConnection("jdbc:h2:mem:" + db.name(), "sa", "");
                     Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT count(*) FROM information_schema.tables"
                             + " WHERE table_name = 'ACCOUNT'")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isZero();
                }
            }
            case SQLITE -> {
                Path file = Path.of(db.jdbcUrl().substring("jdbc:sqlite:".length()));
                assertThat(Files.exists(file)).as("%s deleted", file).isFalse();
            }
        }
    }

    private static int countSchemata(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM information_schema.schemata WHERE schema_name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
