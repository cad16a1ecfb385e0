package dev.txkit.internal.pool;

import dev.txkit.internal.Engine;
import dev.txkit.internal.jdbc.TrackedStatement;
import dev.txkit.internal.tx.ConnectionView;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A pooled connection handed out by {@code db.dataSource()} outside a transaction scope. It behaves
 * exactly like the pool's connection, but txkit knows which thread holds it (for the pool-exhaustion
 * guard) and sees its statements (for the self-deadlock detector), so plain JDBC, JDBI, jOOQ and
 * Spring code that blocks on a lock of one of this process's transactions fails fast too. Not
 * thread-safe beyond what the driver's connection offers.
 */
public final class TrackedConnection implements InvocationHandler {
    final Connection target;
    final Thread borrower;
    private final Engine engine;
    private final AtomicBoolean closed = new AtomicBoolean();

    private TrackedConnection(Engine engine, Connection target) {
        this.engine = engine;
        this.target = target;
        this.borrower = Thread.currentThread();
    }

    public static Connection wrap(Engine engine, Connection target) {
        TrackedConnection handler = new TrackedConnection(engine, target);
        engine.borrowed.add(handler);
        return (Connection) Proxy.newProxyInstance(TrackedConnection.class.getClassLoader(),
                new Class<?>[]{Connection.class}, handler);
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        switch (method.getName()) {
            case "close":
                if (closed.compareAndSet(false, true)) {
                    engine.borrowed.remove(this);
                }
                target.close();
                return null;
            case "equals":
                return proxy == args[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            case "toString":
                return "txkit tracked " + target;
            default:
                Object result = ConnectionView.forward(target, method, args);
                return TrackedStatement.wrapIfStatement(result, method, args, (Connection) proxy,
                        (sql, work) -> engine.runPlain(target, sql, work));
        }
    }
}
