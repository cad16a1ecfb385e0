package dev.txkit.it;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.txkit.Database;
import dev.txkit.Isolation;
import dev.txkit.TxOptions;
import dev.txkit.spi.TxListener;
import dev.txkit.testing.DbKind;
import dev.txkit.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On MariaDB with Connector/J, a transaction at an explicit isolation switches autocommit off and sets its
 * isolation in one statement, and puts both back in one: as many statements as hand-written code that only
 * switches autocommit, the pooled session left exactly as the pool configured it, and a connection whose
 * session could not be put back never reused.
 */
class SessionStartIT extends DbIT {
    private static final TxOptions SERIALIZABLE = TxOptions.defaults().withIsolation(Isolation.SERIALIZABLE);
    private HikariDataSource pool;

    @BeforeEach
    void poolAtReadCommitted() {
        TestDatabase maria = schema(DbKind.MARIADB);
        maria.execute("DROP TABLE IF EXISTS wallet", "CREATE TABLE wallet (id INT PRIMARY KEY, balance INT NOT NULL)",
                "INSERT INTO wallet VALUES (1, 1000)");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(maria.jdbcUrl());
        config.setUsername(maria.user());
        config.setPassword(maria.password());
        config.setMaximumPoolSize(1); // every borrow below is the same session, unless one was thrown away
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED"); // not the server's default: restoring must read it
        pool = closeLater(new HikariDataSource(config));
    }

    @Test
    void aSerializableTransactionSendsTheStatementsOfHandWrittenCodeAndLeavesTheSessionAsThePoolMadeIt()
            throws SQLException {
        Database db = watch(Database.create(pool));
        db.useTransaction(SERIALIZABLE, tx -> tx.sql("SELECT balance FROM wallet WHERE id = 1").one(Integer.class));

        long before = questions();
        try (Connection c = pool.getConnection()) { // hand-written SELECT … FOR UPDATE: 5 statements
            c.setAutoCommit(false);
            int balance;
            try (PreparedStatement ps = c.prepareStatement("SELECT balance FROM wallet WHERE id = 1 FOR UPDATE");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                balance = rs.getInt(1);
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE wallet SET balance = ? WHERE id = 1")) {
                ps.setInt(1, balance - 1);
                ps.executeUpdate();
            }
            c.commit();
            c.setAutoCommit(true);
        }
        long handWritten = questions() - before;

        before = questions();
        db.useTransaction(SERIALIZABLE, tx -> {
            int balance = tx.sql("SELECT balance FROM wallet WHERE id = 1").one(Integer.class);
            tx.sql("UPDATE wallet SET balance = ? WHERE id = 1", balance - 1).update();
        });
        long txkit = questions() - before;

        assertThat(handWritten).as("5 statements and the SELECT that counts them").isEqualTo(6);
        assertThat(txkit).as("SERIALIZABLE costs no statement more than switching autocommit").isEqualTo(handWritten);
        String inside = db.inTransaction(SERIALIZABLE, tx -> tx.sql("SELECT @@tx_isolation").one(String.class));
        assertThat(inside).isEqualTo("SERIALIZABLE");
        assertThat(session()).isEqualTo("READ-COMMITTED/1/autocommit=true/level=" + Connection.TRANSACTION_READ_COMMITTED);
        assertThat(db.sql("SELECT balance FROM wallet WHERE id = 1").one(Integer.class)).isEqualTo(998);
    }

    @Test
    void aSessionThatCannotBePutBackIsThrownAwayAndTheCommitStands() throws SQLException {
        List<String> problems = new CopyOnWriteArrayList<>();
        Database db = watch(Database.builder(pool).listener(new TxListener() {
            @Override
            public void problem(String description, Throwable failure) {
                problems.add(description + ": " + failure.getMessage());
            }
        }).build());
        long session = db.inTransaction(SERIALIZABLE, tx -> {
            tx.sql("UPDATE wallet SET balance = balance - 1 WHERE id = 1").update();
            tx.sql("SET @txkit_isolation = 'no such level'").update(); // makes restoring the session fail
            return tx.sql("SELECT CONNECTION_ID()").one(Long.class);
        });

        assertThat(problems).singleElement().asString().contains("restoring connection state")
                .contains("the connection was aborted");
        assertThat(sessionId()).as("the next borrower gets a new session").isNotEqualTo(session);
        assertThat(session()).isEqualTo("READ-COMMITTED/1/autocommit=true/level=" + Connection.TRANSACTION_READ_COMMITTED);
        assertThat(db.sql("SELECT balance FROM wallet WHERE id = 1").one(Integer.class)).isEqualTo(999);
    }

    /**
     * Statements the pool's one session has sent so far, counting this one: SELECT, UPDATE, SET, COMMIT,
     * ROLLBACK and BEGIN, by the server's per-command counters (not {@code Questions}, so that a pool's
     * validation ping in between cannot count).
     */
    private long questions() throws SQLException {
        try (Connection c = pool.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT SUM(VARIABLE_VALUE) FROM information_schema.SESSION_STATUS"
                     + " WHERE VARIABLE_NAME IN ('COM_SELECT', 'COM_UPDATE', 'COM_SET_OPTION', 'COM_COMMIT',"
                     + " 'COM_ROLLBACK', 'COM_BEGIN')")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private long sessionId() throws SQLException {
        try (Connection c = pool.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT CONNECTION_ID()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The pooled session's isolation and autocommit as the server and the driver see them. */
    private String session() throws SQLException {
        try (Connection c = pool.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT @@tx_isolation, @@autocommit")) {
            rs.next();
            return rs.getString(1) + "/" + rs.getInt(2) + "/autocommit=" + c.getAutoCommit()
                    + "/level=" + c.getTransactionIsolation();
        }
    }
}
