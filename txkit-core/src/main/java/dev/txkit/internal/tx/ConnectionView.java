package dev.txkit.internal.tx;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;
import dev.txkit.internal.jdbc.TrackedStatement;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;

/**
 * A view of a transaction's connection for plain-JDBC code (JDBI, jOOQ, Spring's JdbcTemplate).
 * The transaction owns commit, rollback and autocommit, so those are refused; {@code close} is
 * refused on {@code Transaction.connection()} and ignored on connections handed out by the
 * transaction-aware DataSource (JDBI, jOOQ and Spring close what they borrow).
 *
 * <p>{@code setAutoCommit(false)} is accepted as a no-op: autocommit already is off, and JDBC
 * defines a call that does not change the mode as a no-op, so libraries that make sure a connection
 * is transactional before using it keep working; {@code setAutoCommit(true)} would commit and is
 * refused. Statements made through the view run under the transaction's statement lock, are
 * cancelled at its deadline and are visible to the self-deadlock detector, like txkit's own.
 *
 * <p>Thread-safe as far as the driver's connection is; statements are serialized by the transaction.
 */
public final class ConnectionView implements InvocationHandler {
    private final TrackedStatement.Runner raw;
    private final Connection target;
    private final boolean closeIsNoOp;

    private ConnectionView(Connection target, TrackedStatement.Runner raw, boolean closeIsNoOp) {
        this.raw = raw;
        this.target = target;
        this.closeIsNoOp = closeIsNoOp;
    }

    /** A view of {@code target} whose statements run through {@code raw} (the transaction's, errors untranslated). */
    static Connection of(Connection target, TrackedStatement.Runner raw, boolean closeIsNoOp) {
        return (Connection) Proxy.newProxyInstance(ConnectionView.class.getClassLoader(),
                new Class<?>[]{Connection.class}, new ConnectionView(target, raw, closeIsNoOp));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        switch (method.getName()) {
            case "close":
                if (closeIsNoOp) {
                    return null;
                }
                throw refused("close()", "the transaction closes its connection when it ends");
            case "commit":
                throw refused("commit()", "commit through the Transaction (or return from the callback)");
            case "rollback":
                if (args == null || args.length == 0) {
                    throw refused("rollback()", "roll back through the Transaction (or throw from the callback)");
                }
                break;
            case "setAutoCommit":
                if (Boolean.FALSE.equals(args[0])) {
                    return null; // already off: JDBC makes a call that does not change the mode a no-op
                }
                throw refused("setAutoCommit(true)", "it would commit; the transaction owns the connection's autocommit mode");
            case "getAutoCommit":
                return false;
            case "isClosed":
                return target.isClosed();
            case "equals":
                return proxy == args[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            case "toString":
                return "txkit transaction connection view of " + target;
            default:
                break;
        }
        Object result = TrackedStatement.forward(target, method, args);
        return TrackedStatement.wrapIfStatement(result, method, args, (Connection) proxy, raw);
    }

    private static TxkitException refused(String call, String why) {
        return TxkitException.of(ErrorCode.MISUSE, call + " on a transaction's connection is not allowed: " + why);
    }
}
