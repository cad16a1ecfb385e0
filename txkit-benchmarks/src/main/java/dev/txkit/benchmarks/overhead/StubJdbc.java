package dev.txkit.benchmarks.overhead;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

/**
 * A JDBC "driver" whose calls do nothing: one connection (handed out again and again, as a pool hit
 * would be) whose statements bind nothing, update one row and return one row holding 1. It isolates
 * a transaction library's own CPU cost from any database. Built on {@link Proxy}: every JDBC call costs
 * the same few nanoseconds of reflection for every contender, raw JDBC included, so differences
 * between contenders are the libraries' own.
 *
 * <p>Thread-safe only as far as a benchmark thread uses its own instance.
 */
public final class StubJdbc {
    private StubJdbc() {
    }

    /** A DataSource whose {@code getConnection()} always returns the same do-nothing connection. */
    public static DataSource dataSource() {
        Connection connection = proxy(Connection.class, new ConnectionHandler());
        return new DataSource() {
            @Override
            public Connection getConnection() {
                return connection;
            }

            @Override
            public Connection getConnection(String user, String password) {
                return connection;
            }

            @Override
            public PrintWriter getLogWriter() {
                return null;
            }

            @Override
            public void setLogWriter(PrintWriter out) {
            }

            @Override
            public void setLoginTimeout(int seconds) {
            }

            @Override
            public int getLoginTimeout() {
                return 0;
            }

            @Override
            public Logger getParentLogger() throws SQLFeatureNotSupportedException {
                throw new SQLFeatureNotSupportedException();
            }

            @Override
            public <T> T unwrap(Class<T> iface) throws SQLException {
                throw new SQLException("not a wrapper");
            }

            @Override
            public boolean isWrapperFor(Class<?> iface) {
                return false;
            }
        };
    }

    private static <T> T proxy(Class<T> type, InvocationHandler handler) {
        return type.cast(Proxy.newProxyInstance(StubJdbc.class.getClassLoader(), new Class<?>[] {type}, handler));
    }

    /**
     * The answer of a method nothing more specific applies to: identity for the Object methods, else the
     * zero/false/null of its return type.
     */
    static Object nothing(Object self, Method m, Object[] args) {
        switch (m.getName()) {
            case "hashCode":
                return System.identityHashCode(self);
            case "equals":
                return self == args[0];
            case "toString":
                return "stub " + m.getDeclaringClass().getSimpleName();
            default:
                return zero(m.getReturnType());
        }
    }

    private static Object zero(Class<?> type) {
        if (type == boolean.class) {
            return false;
        }
        if (type == int.class) {
            return 0;
        }
        if (type == long.class) {
            return 0L;
        }
        if (type == short.class || type == byte.class || type == double.class || type == float.class) {
            return type == double.class ? 0.0 : type == float.class ? 0.0f : type == short.class ? (short) 0 : (byte) 0;
        }
        return null;
    }

    private static final class ConnectionHandler implements InvocationHandler {
        private boolean autoCommit = true;
        private DatabaseMetaData metaData;

        @Override
        public Object invoke(Object self, Method m, Object[] args) {
            switch (m.getName()) {
                case "getAutoCommit":
                    return autoCommit;
                case "setAutoCommit":
                    autoCommit = (Boolean) args[0];
                    return null;
                case "prepareStatement":
                case "createStatement":
                    // a PreparedStatement is a Statement too: one proxy type serves both calls
                    return proxy(PreparedStatement.class, new StatementHandler((Connection) self));
                case "getMetaData":
                    if (metaData == null) {
                        metaData = proxy(DatabaseMetaData.class, new MetaDataHandler((Connection) self));
                    }
                    return metaData;
                case "getTransactionIsolation":
                    return Connection.TRANSACTION_READ_COMMITTED;
                case "isValid":
                    return true;
                default:
                    return nothing(self, m, args);
            }
        }
    }

    private static final class StatementHandler implements InvocationHandler {
        private final Connection connection;
        private int updateCount = -1;

        StatementHandler(Connection connection) {
            this.connection = connection;
        }

        @Override
        public Object invoke(Object self, Method m, Object[] args) {
            switch (m.getName()) {
                case "executeUpdate":
                    return 1;
                case "executeLargeUpdate":
                    return 1L;
                case "execute":
                    updateCount = 1;
                    return false;
                case "getUpdateCount":
                    int n = updateCount;
                    updateCount = -1; // one result, then "no more results"
                    return n;
                case "getLargeUpdateCount":
                    long l = updateCount;
                    updateCount = -1;
                    return l;
                case "executeQuery":
                    return proxy(ResultSet.class, new ResultSetHandler());
                case "executeBatch":
                    return new int[0];
                case "getConnection":
                    return connection;
                default:
                    return nothing(self, m, args);
            }
        }
    }

    private static final class ResultSetHandler implements InvocationHandler {
        private int row;

        @Override
        public Object invoke(Object self, Method m, Object[] args) {
            switch (m.getName()) {
                case "next":
                    return ++row == 1;
                case "getInt":
                    return 1;
                case "getLong":
                    return 1L;
                case "getObject":
                    return 1;
                default:
                    return nothing(self, m, args);
            }
        }
    }

    private static final class MetaDataHandler implements InvocationHandler {
        private final Connection connection;

        MetaDataHandler(Connection connection) {
            this.connection = connection;
        }

        @Override
        public Object invoke(Object self, Method m, Object[] args) {
            switch (m.getName()) {
                case "getDatabaseProductName":
                    return "StubDB";
                case "getDatabaseProductVersion":
                case "getDriverVersion":
                    return "1.0";
                case "getDriverName":
                    return "txkit stub driver";
                case "getURL":
                    return "jdbc:stub:";
                case "getUserName":
                    return "stub";
                case "getConnection":
                    return connection;
                case "getJDBCMajorVersion":
                case "getDatabaseMajorVersion":
                    return 4;
                case "supportsTransactions":
                case "supportsSavepoints":
                    return true;
                case "getDefaultTransactionIsolation":
                    return Connection.TRANSACTION_READ_COMMITTED;
                default:
                    return nothing(self, m, args);
            }
        }
    }
}
