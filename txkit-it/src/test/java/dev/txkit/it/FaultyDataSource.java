package dev.txkit.it;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;

/** Wraps a real DataSource so that {@code Connection.rollback()} fails after really rolling back. */
final class FaultyDataSource {
    private FaultyDataSource() {
    }

    static DataSource failingRollback(DataSource real) {
        return (DataSource) Proxy.newProxyInstance(FaultyDataSource.class.getClassLoader(),
                new Class<?>[]{DataSource.class}, (proxy, method, args) -> {
                    Object result = invoke(real, method, args);
                    if (method.getName().equals("getConnection")) {
                        return wrap((Connection) result);
                    }
                    return result;
                });
    }

    private static Connection wrap(Connection real) {
        return (Connection) Proxy.newProxyInstance(FaultyDataSource.class.getClassLoader(),
                new Class<?>[]{Connection.class}, (proxy, method, args) -> {
                    Object result = invoke(real, method, args);
                    if (method.getName().equals("rollback") && (args == null || args.length == 0)) {
                        throw new SQLException("injected rollback failure", "08006");
                    }
                    return result;
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
