package dev.txkit.internal.pool;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;
import dev.txkit.internal.jdbc.Errors;
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
 * Spring code that blocks on a lock of one of this process's transactions fails fast too.
 *
 * <p>Such a connection can outlive the moment it was borrowed in: a JDBI {@code Handle} opened
 * before {@code db.inTransaction(...)} and used inside it. Used on a thread whose scope now has a
 * transaction, it never runs silently outside it: statements prepared then are prepared on the
 * transaction's connection (they join), while a statement prepared before and the connection's own
 * commit, rollback, autocommit and savepoint calls fail with MISUSE naming the fix. Not thread-safe
 * beyond what the driver's connection offers.
 */
public final class TrackedConnection implements InvocationHandler {
    final Connection target;
    final Thread borrower;
    private final Registry registry;
    private final ScopeProbe scope;
    private final AtomicBoolean closed = new AtomicBoolean();

    private TrackedConnection(Registry registry, ScopeProbe scope, Connection target) {
        this.registry = registry;
        this.scope = scope;
        this.target = target;
        this.borrower = Thread.currentThread();
    }

    /** {@code target} as a connection whose holder and statements {@code registry} knows. */
    public static Connection wrap(Registry registry, ScopeProbe scope, Connection target) {
        TrackedConnection handler = new TrackedConnection(registry, scope, target);
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
            case "prepareStatement":
            case "prepareCall":
            case "createStatement":
                // Borrowed before a transaction began on this thread (a JDBI Handle opened outside
                // the scope): new statements join the transaction instead of escaping it.
                if (scope.current() != null) {
                    return TrackedStatement.forward(scope.joinedConnection(), method, args);
                }
                break;
            case "commit":
            case "rollback":
            case "setAutoCommit":
            case "setSavepoint":
                if (scope.current() != null) {
                    throw outsideInScope(method.getName() + "()");
                }
                break;
            default:
                break;
        }
        Object result = TrackedStatement.forward(target, method, args);
        return TrackedStatement.wrapIfStatement(result, method, args, (Connection) proxy, this::runPlain);
    }

    private TxkitException outsideInScope(String what) {
        return TxkitException.of(ErrorCode.MISUSE, what + " was used inside " + scope.current() + " on a connection"
                + " that was borrowed from db.dataSource() before that transaction began (for example a JDBI Handle"
                + " opened outside the callback); it would run outside the transaction. Borrow the connection (open the"
                + " handle) inside the transaction's callback, or use tx.connection(); statements newly prepared on"
                + " such a connection join the transaction");
    }

    /** Runs a statement plain-JDBC code issued here, visible to the detector while it runs. */
    private Object runPlain(String sql, StatementExecutor.Work<Object> work) throws SQLException {
        if (scope.current() != null) { // a statement made before the scope began would run outside it: refused
            throw outsideInScope("a statement prepared before the transaction began (" + Errors.abbreviate(sql) + ")");
        }
        InFlight flight = new InFlight(sql, target, null);
        registry.enter(flight);
        try {
            return work.run(target, flight);
        } catch (SQLException e) {
            if (flight.cancelCode != null) {
                throw TxkitException.of(flight.cancelCode, flight.cancelMessage, e);
            }
            throw e;
        } finally {
            registry.exit(flight);
        }
    }
}
