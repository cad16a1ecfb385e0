package dev.txkit.it;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A DataSource proxy that measures how many statements ran at the same time on one connection
 * (the highest number seen is {@link #maxOverlap}). Code that shares a connection between threads
 * without serializing would show more than 1.
 */
final class OverlapProbe {
    final AtomicInteger maxOverlap = new AtomicInteger();
    final AtomicInteger executions = new AtomicInteger();
    final DataSource dataSource;

    OverlapProbe(DataSource real) {
        dataSource = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(real, method, args);
                    return method.getName().equals("getConnection") ? connection((Connection) result) : result;
                });
    }

    private Connection connection(Connection real) {
        AtomicInteger running = new AtomicInteger();
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Connection.class},
                (proxy, method, args) -> {
                    Object result = invoke(real, method, args);
                    if (result instanceof PreparedStatement) {
                        return statement(result, PreparedStatement.class, running);
                    }
                    if (result instanceof Statement) {
                        return statement(result, Statement.class, running);
                    }
                    return result;
                });
    }

    private Object statement(Object real, Class<?> type, AtomicInteger running) {
        return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{type}, (proxy, method, args) -> {
            if (!method.getName().startsWith("execute")) {
                return invoke(real, method, args);
            }
            int now = running.incrementAndGet();
            maxOverlap.accumulateAndGet(now, Math::max);
            executions.incrementAndGet();
            try {
                return invoke(real, method, args);
            } finally {
                running.decrementAndGet();
            }
        });
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
