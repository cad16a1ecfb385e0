package dev.txkit.it;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A JDBC proxy that records every call made on the connections and statements it hands out (with
 * arguments that change session state), so tests can compare txkit's calls with hand-written JDBC.
 */
public final class CountingDataSource {
    private static final Set<String> WITH_ARGS = Set.of("setAutoCommit", "setTransactionIsolation", "setReadOnly",
            "prepareStatement", "execute", "executeQuery", "executeUpdate");

    public final List<String> calls = new ArrayList<>();
    public final DataSource dataSource;

    public CountingDataSource(DataSource real) {
        this.dataSource = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(real, method, args);
                    if (method.getName().equals("getConnection")) {
                        calls.add("getConnection");
                        return wrap(result, Connection.class);
                    }
                    return result;
                });
    }

    private Object wrap(Object target, Class<?> type) {
        return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{type}, (proxy, method, args) -> {
            record(type, method, args);
            Object result = invoke(target, method, args);
            if (result instanceof Statement && method.getName().endsWith("Statement")) {
                Class<?> st = method.getName().equals("prepareStatement") ? java.sql.PreparedStatement.class
                        : method.getName().equals("prepareCall") ? java.sql.CallableStatement.class : Statement.class;
                return wrap(result, st);
            }
            return result;
        });
    }

    private void record(Class<?> type, Method method, Object[] args) {
        String name = method.getName();
        if (name.equals("unwrap") || name.equals("isWrapperFor") || name.equals("toString") || name.equals("hashCode")) {
            return;
        }
        String prefix = Connection.class.equals(type) ? "" : "stmt.";
        calls.add(prefix + name + (WITH_ARGS.contains(name) && args != null ? Arrays.toString(args) : ""));
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
