package dev.txkit.internal.pool;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.pool.HikariPool;

import dev.txkit.internal.jdbc.Redaction;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * Everything that touches HikariCP, an optional dependency: this class is only loaded after
 * {@link #AVAILABLE} confirmed the classes are present.
 */
public final class HikariSupport {
    public static final boolean AVAILABLE = present();

    private HikariSupport() {
    }

    private static boolean present() {
        try {
            Class.forName("com.zaxxer.hikari.HikariDataSource", false, HikariSupport.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    static boolean isHikari(DataSource ds) {
        return ds instanceof HikariDataSource;
    }

    static ConnectionSource source(DataSource ds) {
        return new Source((HikariDataSource) ds);
    }

    /** Builds the pool behind {@code Database.connect}. */
    public static DataSource pool(String jdbcUrl, String user, String password, int maxSize,
                                  Map<String, String> driverProperties) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(maxSize);
        config.setPoolName("txkit");
        driverProperties.forEach(config::addDataSourceProperty); // the dialect's, e.g. no bound values in messages
        config.setConnectionTimeout(Math.max(250, config.getConnectionTimeout()));
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw connectFailure(jdbcUrl, user, password, e);
        }
    }

    /**
     * HikariCP reports a pool that cannot start as an untyped PoolInitializationException (or a
     * RuntimeException when no driver takes the URL); txkit says CONNECTION_FAILURE with the host
     * and the driver's reason, credentials masked in the message and in the cause chain.
     */
    private static dev.txkit.TxkitException connectFailure(String url, String user, String password, RuntimeException e) {
        java.util.List<String> secrets = Redaction.secretsOf(url, password);
        Throwable reason = e.getCause() != null ? e.getCause() : e;
        String state = reason instanceof SQLException ? ((SQLException) reason).getSQLState() : null;
        int vendor = reason instanceof SQLException ? ((SQLException) reason).getErrorCode() : 0;
        String said = reason.getMessage() == null ? reason.getClass().getSimpleName() : reason.getMessage().split("\n")[0];
        return dev.txkit.TxkitException.of(dev.txkit.ErrorCode.CONNECTION_FAILURE, "could not connect to "
                + JdbcUrls.hostOf(url) + (user == null ? "" : " as user '" + Redaction.text(user, secrets) + "'")
                + (state == null ? "" : " (SQLSTATE " + state + (vendor == 0 ? "" : ", vendor code " + vendor) + ")")
                + ": " + Redaction.text(said, secrets) + ". Check that the server runs and accepts this user",
                Redaction.scrub(e, secrets), state, vendor);
    }

    static final class Source extends ConnectionSource {
        private final HikariDataSource ds;

        Source(HikariDataSource ds) {
            this.ds = ds;
        }

        @Override
        public Connection get(Duration maxWait) {
            long start = System.nanoTime();
            try {
                HikariPoolMXBean bean = ds.getHikariPoolMXBean();
                if (bean instanceof HikariPool) {
                    return ((HikariPool) bean).getConnection(maxWait.toMillis());
                }
                return ds.getConnection(); // not started yet: the first call starts the pool
            } catch (SQLException e) {
                throw acquireFailure(e, (System.nanoTime() - start) / 1_000_000, maxWait);
            }
        }

        @Override
        public String state() {
            HikariPoolMXBean bean = ds.getHikariPoolMXBean();
            if (bean == null) {
                return "'" + ds.getPoolName() + "' (not started)";
            }
            return "'" + ds.getPoolName() + "': size=" + ds.getMaximumPoolSize() + ", total="
                    + bean.getTotalConnections() + ", active=" + bean.getActiveConnections() + ", idle="
                    + bean.getIdleConnections() + ", waiting=" + bean.getThreadsAwaitingConnection();
        }

        @Override
        public int active() {
            HikariPoolMXBean bean = ds.getHikariPoolMXBean();
            return bean == null ? 0 : bean.getActiveConnections();
        }

        @Override
        public int maxSize() {
            return ds.getMaximumPoolSize();
        }

        @Override
        public int idle() {
            HikariPoolMXBean bean = ds.getHikariPoolMXBean();
            return bean == null ? -1 : bean.getIdleConnections();
        }

        @Override
        public Boolean autoCommitDefault() {
            return ds.isAutoCommit();
        }

        @Override
        public String jdbcUrl() {
            return ds.getJdbcUrl();
        }

        @Override
        java.util.List<String> secrets() {
            return Redaction.secretsOf(ds.getJdbcUrl(), ds.getPassword());
        }

        @Override
        public Connection openUnpooled() throws SQLException {
            if (ds.getJdbcUrl() == null) {
                return null;
            }
            Properties props = new Properties();
            props.putAll(ds.getDataSourceProperties());
            if (ds.getUsername() != null) {
                props.setProperty("user", ds.getUsername());
            }
            if (ds.getPassword() != null) {
                props.setProperty("password", ds.getPassword());
            }
            return DriverManager.getConnection(ds.getJdbcUrl(), props);
        }
    }
}
