package dev.txkit.it.bank;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.txkit.testing.DbKind;
import dev.txkit.testing.TestDatabase;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Where a bank run lives: a PostgreSQL schema or a MariaDB database, reached directly (setup,
 * checks and fault injection always go straight to the server, never through a proxy).
 *
 * @param kind     POSTGRES or MARIADB
 * @param url      JDBC URL into the schema/database, straight to the server
 * @param user     user name
 * @param password password (empty on the local services)
 * @param database MariaDB database name (how its client sessions are found); the schema on PostgreSQL
 *
 * <p>Immutable; thread-safe.
 */
record BankTarget(DbKind kind, String url, String user, String password, String database) {

    static BankTarget of(TestDatabase db) {
        return new BankTarget(db.kind(), db.jdbcUrl(), db.user(), db.password(), db.name());
    }

    /** A fresh connection straight to the server, for setup, checks and the fault injector. */
    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /**
     * A pool for the bank's clients on {@code clientUrl} (the target itself or a proxy in front of
     * it). On PostgreSQL its sessions carry {@code application} so the injector can find them, and
     * only them: other test runs share the server.
     */
    HikariDataSource pool(String clientUrl, int size, String application) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(kind == DbKind.POSTGRES
                ? clientUrl + (clientUrl.contains("?") ? "&" : "?") + "ApplicationName=" + application
                : clientUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        config.setPoolName(application);
        return new HikariDataSource(config);
    }
}
