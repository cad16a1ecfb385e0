package dev.txkit.cli;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.txkit.TxkitException;
import dev.txkit.internal.pool.JdbcUrls;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The database a command runs against: an embedded PostgreSQL (data in a temp dir, removed on
 * close) or the server behind {@code --url}. Owns one HikariCP pool.
 */
final class Target implements AutoCloseable {
    final HikariDataSource pool;
    /**
     * The pool for the naive (plain JDBC) runs. On MariaDB it is a second pool: txkit switches
     * innodb_snapshot_isolation on for the sessions it uses (issue 15), which would quietly protect
     * plain JDBC sharing those sessions and hide the anomalies the naive rows exist to show.
     */
    final HikariDataSource naive;
    final String description;
    final boolean mariadb;
    private final EmbeddedPostgres embedded;

    private Target(HikariDataSource pool, HikariDataSource naive, String description, boolean mariadb,
                   EmbeddedPostgres embedded) {
        this.pool = pool;
        this.naive = naive;
        this.description = description;
        this.mariadb = mariadb;
        this.embedded = embedded;
    }

    static Target open(String url, String user, String password, int poolSize) {
        if (url == null) {
            EmbeddedPostgres pg;
            try {
                pg = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new IllegalStateException("could not start the embedded PostgreSQL: " + e.getMessage(), e);
            }
            try {
                HikariDataSource pool = pool(pg.getJdbcUrl("postgres", "postgres"), "postgres", null, poolSize);
                return new Target(pool, pool, "embedded " + version(pool), false, pg);
            } catch (RuntimeException e) {
                closeQuietly(pg);
                throw e;
            }
        }
        boolean maria = url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:");
        if (!maria && !url.startsWith("jdbc:postgresql:")) {
            throw new BadInputException("unsupported --url: expected jdbc:postgresql://… or jdbc:mariadb://…");
        }
        try {
            JdbcUrls.validate(url); // malformed ports and user:password@host, with the URL masked
        } catch (TxkitException e) {
            throw new BadInputException("bad --url: " + e.getMessage().substring(e.getMessage().indexOf(": ") + 2)
                    .replace("arguments of Database.connect", "--user and --password"));
        }
        HikariDataSource pool = pool(url, user, password, poolSize);
        String description = version(pool);
        HikariDataSource naive = pool;
        if (maria) {
            try {
                naive = pool(url, user, password, poolSize);
            } catch (RuntimeException e) {
                pool.close();
                throw e;
            }
        }
        return new Target(pool, naive, description, maria, null);
    }

    private static HikariDataSource pool(String url, String user, String password, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(size);
        config.setPoolName("txkit-demo");
        config.setConnectionTimeout(5000);
        config.setInitializationFailTimeout(5000);
        // Hikari would otherwise retry an unreachable server until the timeout; fail on the first error.
        config.addDataSourceProperty("connectTimeout", url.startsWith("jdbc:postgresql:") ? "5" : "5000");
        return new HikariDataSource(config);
    }

    private static String version(HikariDataSource pool) {
        try (Connection c = pool.getConnection()) {
            return c.getMetaData().getDatabaseProductName() + " " + c.getMetaData().getDatabaseProductVersion();
        } catch (SQLException e) {
            pool.close();
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static void closeQuietly(EmbeddedPostgres pg) {
        try {
            pg.close();
        } catch (IOException ignored) {
            // best effort: the temp dir is removed by zonky's shutdown hook as well
        }
    }

    @Override
    public void close() {
        if (naive != pool) {
            naive.close();
        }
        pool.close();
        if (embedded != null) {
            closeQuietly(embedded);
        }
    }
}
