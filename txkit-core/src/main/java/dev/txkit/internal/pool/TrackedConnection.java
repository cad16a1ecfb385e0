package dev.txkit.internal.pool;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;

import dev.txkit.internal.Engine;
import dev.txkit.internal.jdbc.Errors;
import dev.txkit.internal.jdbc.StatementExecutor;
import dev.txkit.internal.jdbc.TrackedStatement;
import dev.txkit.internal.tx.ConnectionView;
import dev.txkit.internal.tx.PhysicalTx;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
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
            case "prepareStatement":
            case "prepareCall":
            case "createStatement": {
                // Borrowed before a transaction began on this thread (a JDBI Handle opened outside
                // the scope): new statements join the transaction instead of escaping it.
                PhysicalTx tx = engine.current();
                if (tx != null) {
                    if (engine.settings.strict) {
                        throw engine.strictMisuse("a connection from db.dataSource() borrowed before the transaction");
                    }
                    return ConnectionView.forward(tx.borrowedView(), method, args);
                }
                break;
            }
            case "commit":
            case "rollback":
            case "setAutoCommit":
            case "setSavepoint":
                if (engine.current() != null) {
                    throw outsideInScope(method.getName() + "()");
                }
                break;
            default:
                break;
        }
        Object result = ConnectionView.forward(target, method, args);
        return TrackedStatement.wrapIfStatement(result, method, args, (Connection) proxy, this::runPlain);
    }

    /** A statement made before the scope began would run outside its transaction: refused. */
    private Object runPlain(String sql, StatementExecutor.Work<Object> work) throws java.sql.SQLException {
        if (engine.current() != null) {
            throw outsideInScope("a statement prepared before the transaction began (" + Errors.abbreviate(sql) + ")");
        }
        return engine.runPlain(target, sql, work);
    }

    private TxkitException outsideInScope(String what) {
        return new TxkitException(ErrorCode.MISUSE, what + " was used inside " + engine.current() + " on a connection"
                + " that was borrowed from db.dataSource() before that transaction began (for example a JDBI Handle"
                + " opened outside the callback); it would run outside the transaction. Borrow the connection (open the"
                + " handle) inside the transaction's callback, or use tx.connection(); statements newly prepared on"
                + " such a connection join the transaction");
    }
}
