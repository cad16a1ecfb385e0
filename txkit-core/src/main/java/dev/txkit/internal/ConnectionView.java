package dev.txkit.internal;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;

/**
 * A view of a transaction's connection for plain-JDBC code. The transaction owns commit, rollback
 * and autocommit, so those are refused; {@code close} is refused on {@code Transaction.connection()}
 * and ignored on connections handed out by the transaction-aware DataSource (JDBI, jOOQ and Spring
 * close what they borrow).
 */
public final class ConnectionView implements InvocationHandler {
    private final Connection target;
    private final boolean closeIsNoOp;

    private ConnectionView(Connection target, boolean closeIsNoOp) {
        this.target = target;
        this.closeIsNoOp = closeIsNoOp;
    }

    public static Connection of(Connection target, boolean closeIsNoOp) {
        return (Connection) Proxy.newProxyInstance(ConnectionView.class.getClassLoader(),
                new Class<?>[]{Connection.class}, new ConnectionView(target, closeIsNoOp));
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
                throw refused("setAutoCommit(" + args[0] + ")", "the transaction owns the connection's autocommit mode");
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
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static TxkitException refused(String call, String why) {
        return new TxkitException(ErrorCode.MISUSE, call + " on a transaction's connection is not allowed: " + why);
    }
}
