package dev.txkit.internal;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

/**
 * {@code db.dataSource()}: inside a transaction scope {@link #getConnection()} returns a view of
 * the scope's connection (its {@code close} is a no-op), so JDBI, jOOQ, Spring's JdbcTemplate and
 * plain JDBC join the transaction; outside a scope it is the pool itself.
 */
public final class RoutingDataSource implements DataSource {
    private final Engine engine;

    public RoutingDataSource(Engine engine) {
        this.engine = engine;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return engine.routedConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("txkit's DataSource uses the pool's credentials");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return engine.pool().getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        engine.pool().setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        engine.pool().setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return engine.pool().getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return engine.pool().getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        return engine.pool().unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || engine.pool().isWrapperFor(iface);
    }
}
