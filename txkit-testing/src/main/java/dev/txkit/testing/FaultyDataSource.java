package dev.txkit.testing;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Set;
import java.util.logging.Logger;

/**
 * A DataSource around a real one that injects failures at exactly the call you choose, so retry
 * and recovery code can be tested without timing luck: the Nth statement fails with a given
 * {@link SQLException} (see {@link Faults}) before it runs, the next COMMIT fails (after a real
 * rollback), or the connection is dropped at the Nth statement or right after a real COMMIT (the
 * caller cannot tell whether it committed). Each armed fault fires once; statements are counted from
 * the moment it was armed, over all connections of this DataSource ({@code execute*} and
 * {@code executeBatch} calls on any statement).
 *
 * <p>Thread-safe.
 */
public final class FaultyDataSource implements DataSource {
    private static final Set<String> EXECUTES = Set.of("execute", "executeQuery", "executeUpdate", "executeLargeUpdate",
            "executeBatch", "executeLargeBatch");

    private final DataSource real;
    private int statements;
    private int commits;
    private int statementCountdown;
    private SQLException statementFault;
    private boolean dropAtStatement;
    private SQLException commitFault;
    private boolean dropAfterCommit;

    private FaultyDataSource(DataSource real) {
        this.real = real;
    }

    /**
     * Wraps {@code real}; nothing is injected until a fault is armed.
     *
     * @param real the DataSource whose connections do the real work
     * @return the wrapper
     * @throws TxkitException {@link ErrorCode#INVALID_ARGUMENT} for {@code null}
     */
    public static FaultyDataSource wrap(DataSource real) {
        if (real == null) {
            throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "the real DataSource must not be null");
        }
        return new FaultyDataSource(real);
    }

    /**
     * The {@code nth} statement from now throws {@code failure} instead of running. Replaces any statement
     * fault armed before.
     *
     * @param nth which statement, 1 for the next
     * @param failure what the statement throws, e.g. one of {@link Faults}
     * @return this DataSource
     */
    public synchronized FaultyDataSource failStatement(int nth, SQLException failure) {
        requireNth(nth);
        if (failure == null) {
            throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "failure must not be null");
        }
        statementCountdown = nth;
        statementFault = failure;
        dropAtStatement = false;
        return this;
    }

    /**
     * At the {@code nth} statement from now the connection is aborted and 08006 thrown instead of running
     * it, as when the server goes away mid-transaction.
     *
     * @param nth which statement, 1 for the next
     * @return this DataSource
     */
    public synchronized FaultyDataSource dropConnectionAtStatement(int nth) {
        requireNth(nth);
        statementCountdown = nth;
        statementFault = Faults.connectionFailure();
        dropAtStatement = true;
        return this;
    }

    /**
     * The next COMMIT rolls back for real and then throws {@code failure} (e.g. a Galera 1213 at commit).
     *
     * @param failure what COMMIT throws
     * @return this DataSource
     */
    public synchronized FaultyDataSource failCommit(SQLException failure) {
        if (failure == null) {
            throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "failure must not be null");
        }
        commitFault = failure;
        dropAfterCommit = false;
        return this;
    }

    /**
     * The next COMMIT really commits, then the connection is aborted and 08006 thrown: the caller cannot
     * tell whether it committed (txkit: COMMIT_UNKNOWN).
     *
     * @return this DataSource
     */
    public synchronized FaultyDataSource dropConnectionAfterCommit() {
        commitFault = Faults.connectionFailure();
        dropAfterCommit = true;
        return this;
    }

    /** Disarms every fault. */
    public synchronized void clear() {
        statementFault = null;
        commitFault = null;
    }

    /** {@return how many statements were executed (or failed by injection) through this DataSource so far} */
    public synchronized int statements() {
        return statements;
    }

    /** {@return how many COMMITs were attempted through this DataSource so far} */
    public synchronized int commits() {
        return commits;
    }

    private static void requireNth(int nth) {
        if (nth < 1) {
            throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "nth must be at least 1 but was " + nth);
        }
    }

    /** Counts a statement; returns the fault to throw now, or null. */
    private synchronized SQLException onStatement() {
        statements++;
        if (statementFault != null && --statementCountdown == 0) {
            SQLException f = statementFault;
            statementFault = null;
            return f;
        }
        return null;
    }

    private synchronized SQLException onCommit() {
        commits++;
        SQLException f = commitFault;
        commitFault = null;
        return f;
    }

    private synchronized boolean dropsAtStatement() {
        return dropAtStatement;
    }

    private synchronized boolean dropsAfterCommit() {
        return dropAfterCommit;
    }

    // ---- proxies -----------------------------------------------------------------------------

    private Connection wrap(Connection c) {
        return (Connection) Proxy.newProxyInstance(FaultyDataSource.class.getClassLoader(),
                new Class<?>[]{Connection.class}, (proxy, method, args) -> {
                    String name = method.getName();
                    if (name.equals("commit")) {
                        return commit(c);
                    }
                    Object result = invoke(c, method, args);
                    if (result instanceof Statement) {
                        Class<?> type = result instanceof CallableStatement ? CallableStatement.class
                                : result instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
                        return wrap((Statement) result, type, c);
                    }
                    return result;
                });
    }

    private Object commit(Connection c) throws SQLException {
        SQLException fault = onCommit();
        if (fault == null) {
            c.commit();
            return null;
        }
        if (dropsAfterCommit()) {
            c.commit();
            drop(c);
        } else {
            c.rollback();
        }
        throw fault;
    }

    private Object wrap(Statement st, Class<?> type, Connection c) {
        return Proxy.newProxyInstance(FaultyDataSource.class.getClassLoader(), new Class<?>[]{type},
                (proxy, method, args) -> {
                    if (EXECUTES.contains(method.getName())) {
                        boolean drop = dropsAtStatement();
                        SQLException fault = onStatement();
                        if (fault != null) {
                            if (drop) {
                                drop(c);
                            }
                            throw fault;
                        }
                    }
                    return invoke(st, method, args);
                });
    }

    /** Drops the physical connection, as a network failure would. */
    private static void drop(Connection c) {
        try {
            c.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already unusable, which is the point
            }
        }
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    // ---- DataSource --------------------------------------------------------------------------

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(real.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(real.getConnection(username, password));
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return real.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        real.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        real.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return real.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return real.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : real.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || real.isWrapperFor(iface);
    }
}
