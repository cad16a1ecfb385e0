package dev.txkit.it;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;
import dev.txkit.table.Id;
import dev.txkit.table.Table;
import dev.txkit.table.Version;
import dev.txkit.testing.DbKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A pool whose connections start with autocommit off ({@code spring.datasource.hikari.auto-commit=false}):
 * txkit must never report a write it did not commit. Each check looks from a separate connection, the
 * way another session sees the data. The single-connection pool (it hands out one physical connection
 * again and again, resetting nothing) shows that txkit gives the connection back as it found it:
 * autocommit still off and no transaction left open holding row locks.
 */
class AutoCommitOffPoolIT extends DbIT {
    record Item(@Id Long id, String name, @Version int version) {
    }

    @BeforeEach
    void table() {
        for (DbKind kind : available(DbKind.POSTGRES, DbKind.MARIADB)) {
            schema(kind).execute("DROP TABLE IF EXISTS item",
                    "CREATE TABLE item (id BIGINT PRIMARY KEY, name VARCHAR(50), version INT NOT NULL)",
                    "INSERT INTO item VALUES (1, 'old', 1)");
        }
    }

    private HikariDataSource autoCommitOffPool(DbKind kind) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(schema(kind).jdbcUrl());
        config.setUsername(schema(kind).user());
        config.setPassword(schema(kind).password());
        config.setMaximumPoolSize(2);
        config.setAutoCommit(false);
        return closeLater(new HikariDataSource(config));
    }

    /** What a separate session sees. */
    private String nameSeenElsewhere(DbKind kind, long id) throws SQLException {
        try (Connection c = schema(kind).unpooledDataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT name FROM item WHERE id = " + id)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** Another session updates the row with a 1 s lock timeout: it fails if a transaction still holds the row. */
    private void rowIsNotLocked(DbKind kind) throws SQLException {
        try (Connection c = schema(kind).unpooledDataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute(kind == DbKind.POSTGRES ? "SET lock_timeout = '1s'" : "SET SESSION innodb_lock_wait_timeout = 1");
            assertThat(st.executeUpdate("UPDATE item SET version = version WHERE id = 1")).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void dbSqlOutsideATransactionCommitsWhatItReports(DbKind kind) throws SQLException {
        Database db = watch(Database.create(autoCommitOffPool(kind)));
        assertThat(db.sql("UPDATE item SET name = ? WHERE id = 1", "new").update()).isEqualTo(1);
        assertThat(nameSeenElsewhere(kind, 1)).isEqualTo("new");
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void dbTableOutsideATransactionCommitsInsertsAndUpdates(DbKind kind) throws SQLException {
        Database db = watch(Database.create(autoCommitOffPool(kind)));
        Table<Item> items = db.table(Item.class);
        Item inserted = items.insert(new Item(2L, "second", 0));
        assertThat(nameSeenElsewhere(kind, 2)).isEqualTo("second");
        items.update(new Item(inserted.id(), "changed", inserted.version()));
        assertThat(nameSeenElsewhere(kind, 2)).isEqualTo("changed");
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void transactionsCommitAndLeaveThePoolsModeAlone(DbKind kind) throws SQLException {
        Database db = watch(Database.create(autoCommitOffPool(kind)));
        db.useTransaction(tx -> tx.sql("UPDATE item SET name = ? WHERE id = 1", "in-tx").update());
        assertThat(nameSeenElsewhere(kind, 1)).isEqualTo("in-tx");
        assertThatThrownBy(() -> db.useTransaction(tx -> {
            tx.sql("UPDATE item SET name = ? WHERE id = 1", "undone").update();
            throw new IllegalStateException("roll back");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(nameSeenElsewhere(kind, 1)).isEqualTo("in-tx");
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void aConnectionThatIsNeverResetIsGivenBackAsItWasFound(DbKind kind) throws SQLException {
        try (Connection physical = schema(kind).unpooledDataSource().getConnection()) {
            physical.setAutoCommit(false);
            SingleConnectionDataSource single = new SingleConnectionDataSource(physical, true);
            Database db = watch(Database.create(single));

            assertThat(db.sql("UPDATE item SET name = ? WHERE id = 1", "single").update()).isEqualTo(1);
            assertThat(nameSeenElsewhere(kind, 1)).isEqualTo("single");
            assertThat(physical.getAutoCommit()).as("autocommit mode after db.sql").isFalse();
            rowIsNotLocked(kind);

            db.useTransaction(tx -> tx.sql("UPDATE item SET name = ? WHERE id = 1", "single-tx").update());
            assertThat(nameSeenElsewhere(kind, 1)).isEqualTo("single-tx");
            assertThat(physical.getAutoCommit()).as("autocommit mode after a transaction").isFalse();
            rowIsNotLocked(kind);

            assertThatThrownBy(() -> db.sql("INSERT INTO item VALUES (1, 'duplicate', 1)").update())
                    .isInstanceOfSatisfying(TxkitException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNIQUE_VIOLATION));
            assertThat(db.sql("UPDATE item SET name = ? WHERE id = 1", "after-failure").update())
                    .as("a failed statement was rolled back, the connection is usable").isEqualTo(1);
            assertThat(nameSeenElsewhere(kind, 1)).isEqualTo("after-failure");
            rowIsNotLocked(kind);
            db.close();
        }
    }
}
