package dev.txkit.internal.pool;

import dev.txkit.TxkitException;
import dev.txkit.internal.jdbc.InFlight;
import dev.txkit.internal.jdbc.StatementExecutor;
import dev.txkit.internal.jdbc.TrackedStatement;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
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
    private final Registry registry;
    private final AtomicBoolean closed = new AtomicBoolean();

    private TrackedConnection(Registry registry, Connection target) {
        this.registry = registry;
        this.target = target;
        this.borrower = Thread.currentThread();
    }

    /** {@code target} as a connection whose holder and statements {@code registry} knows. */
    public static Connection wrap(Registry registry, Connection target) {
        TrackedConnection handler = new TrackedConnection(registry, target);
        registry.borrowed().add(handler);
        return (Connection) Proxy.newProxyInstance(TrackedConnection.class.getClassLoader(),
                new Class<?>[]{Connection.class}, handler);
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        switch (method.getName()) {
            case "close":
                if (closed.compareAndSet(false, true)) {
                    registry.borrowed().remove(this);
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
                Object result = TrackedStatement.forward(target, method, args);
                return TrackedStatement.wrapIfStatement(result, method, args, (Connection) proxy, this::runPlain);
        }
    }

    /** Runs a statement plain-JDBC code issued here, visible to the detector while it runs. */
    private Object runPlain(String sql, StatementExecutor.Work<Object> work) throws SQLException {
        InFlight flight = new InFlight(sql, target, null);
        registry.enter(flight);
        try {
            return work.run(target, flight);
        } catch (SQLException e) {
            if (flight.cancelCode != null) {
                throw new TxkitException(flight.cancelCode, flight.cancelMessage, e);
            }
            throw e;
        } finally {
            registry.exit(flight);
        }
    }
}
