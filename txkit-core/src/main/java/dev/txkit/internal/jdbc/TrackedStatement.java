package dev.txkit.internal.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A JDBC statement handed to plain-JDBC code by a txkit connection (a transaction's view, or a
 * pooled connection from {@code db.dataSource()} outside a scope). Each {@code execute…} call runs
 * through a {@link Runner}, which registers it as an {@link InFlight}: the watchdog can then cancel
 * it at a deadline and the self-deadlock detector can see it waiting. Everything else is passed
 * through. Not thread-safe, like the statement it wraps.
 */
public final class TrackedStatement implements InvocationHandler {

    /** Runs one execute call of {@code sql} (text without values) as a tracked statement. */
    public interface Runner {
        Object run(String sql, StatementExecutor.Work<Object> work) throws SQLException;
    }

    private final Statement target;
    private final String preparedSql;
    private final Connection connection;
    private final Runner runner;

    private TrackedStatement(Statement target, String preparedSql, Connection connection, Runner runner) {
        this.target = target;
        this.preparedSql = preparedSql;
        this.connection = connection;
        this.runner = runner;
    }

    /** Wraps {@code result} when {@code method} was a Connection method that created a statement. */
    public static Object wrapIfStatement(Object result, Method method, Object[] args, Connection connection, Runner runner) {
        if (!(result instanceof Statement)) {
            return result;
        }
        String name = method.getName();
        Class<?> type;
        String sql = null;
        if (name.equals("prepareStatement")) {
            type = PreparedStatement.class;
            sql = (String) args[0];
        } else if (name.equals("prepareCall")) {
            type = CallableStatement.class;
            sql = (String) args[0];
        } else if (name.equals("createStatement")) {
            type = Statement.class;
        } else {
            return result;
        }
        return Proxy.newProxyInstance(TrackedStatement.class.getClassLoader(), new Class<?>[]{type},
                new TrackedStatement((Statement) result, sql, connection, runner));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        if (name.startsWith("execute")) {
            String sql = args != null && args.length > 0 && args[0] instanceof String ? (String) args[0] : preparedSql;
            return runner.run(sql == null ? name + "()" : sql, (c, flight) -> {
                flight.statement(target);
                return call(method, args);
            });
        }
        switch (name) {
            case "getConnection":
                return connection;
            case "equals":
                return proxy == args[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            case "toString":
                return "txkit tracked " + target;
            default:
                return forward(target, method, args);
        }
    }

    /** Calls {@code method} on {@code target}, rethrowing what it threw rather than the reflection wrapper. */
    public static Object forward(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private Object call(Method method, Object[] args) throws SQLException {
        try {
            return forward(target, method, args);
        } catch (SQLException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new SQLException(t);
        }
    }
}
