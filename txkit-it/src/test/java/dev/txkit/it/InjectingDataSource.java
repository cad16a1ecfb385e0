package dev.txkit.it;

import com.zaxxer.hikari.HikariDataSource;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps a real pool and fails chosen JDBC calls with chosen SQLExceptions, so retry logic can be
 * tested without timing luck. A failed COMMIT really rolls back first, as the database would after a
 * serialization failure; a failed statement is refused before it reaches the database.
 */
final class InjectingDataSource {
    final HikariDataSource pool;
    final DataSource dataSource;
    private final AtomicInteger commitFailures = new AtomicInteger();
    private volatile String commitState;
    private volatile int commitVendor;
    private final AtomicInteger statementFailures = new AtomicInteger();
    private volatile String statementMarker;
    private volatile String statementState;
    private volatile int statementVendor;
    final AtomicInteger commits = new AtomicInteger();

    InjectingDataSource(HikariDataSource pool) {
        this.pool = pool;
        this.dataSource = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{DataSource.class}, (proxy, method, args) -> {
                    Object result = invoke(pool, method, args);
                    return method.getName().equals("getConnection") ? wrap((Connection) result) : result;
                });
    }

    /** The next {@code n} COMMITs roll back and fail with this SQLSTATE and vendor code. */
    void failCommits(int n, String sqlState, int vendorCode) {
        commitState = sqlState;
        commitVendor = vendorCode;
        commitFailures.set(n);
    }

    /** The next {@code n} statements whose SQL contains {@code marker} fail with this SQLSTATE and vendor code. */
    void failStatements(String marker, int n, String sqlState, int vendorCode) {
        statementMarker = marker;
        statementState = sqlState;
        statementVendor = vendorCode;
        statementFailures.set(n);
    }

    void reset() {
        commitFailures.set(0);
        statementFailures.set(0);
    }

    int activeConnections() {
        return pool.getHikariPoolMXBean().getActiveConnections();
    }

    private Connection wrap(Connection real) {
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Connection.class},
                (proxy, method, args) -> {
                    String name = method.getName();
                    if (name.equals("commit") && take(commitFailures)) {
                        real.rollback();
                        throw new SQLException("injected failure at COMMIT", commitState, commitVendor);
                    }
                    if (name.equals("commit")) {
                        commits.incrementAndGet();
                    }
                    if ((name.equals("prepareStatement") || name.equals("prepareCall")) && args != null
                            && args[0] instanceof String && statementMarker != null
                            && ((String) args[0]).contains(statementMarker) && take(statementFailures)) {
                        throw new SQLException("injected statement failure", statementState, statementVendor);
                    }
                    return invoke(real, method, args);
                });
    }

    private static boolean take(AtomicInteger budget) {
        return budget.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
