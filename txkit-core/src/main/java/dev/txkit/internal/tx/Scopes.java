package dev.txkit.internal.tx;

import dev.txkit.ErrorCode;
import dev.txkit.Propagation;
import dev.txkit.Transaction;
import dev.txkit.TxCallback;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.internal.pool.TrackedConnection;

/**
 * Propagation: whether a call joins the scope's transaction, nests in it, runs without one or needs a
 * new physical transaction, and the joined scopes themselves. Stateless.
 */
public final class Scopes {
    /** Where a call of {@code inTransaction} runs. */
    public enum Route { NO_TRANSACTION, JOIN, NEST, NEW }

    private Scopes() {
    }

    /** The route of {@code db.inTransaction(options, …)} with {@code outer} in scope; MISUSE where it makes no sense. */
    public static Route route(TxRuntime rt, TxOptions options, PhysicalTx outer) {
        switch (options.propagation()) {
            case NEVER:
                if (outer != null) {
                    throw TxkitException.of(ErrorCode.MISUSE, "Propagation.NEVER used inside " + outer
                            + "; run this work outside the transaction or choose another propagation");
                }
                return Route.NO_TRANSACTION;
            case MANDATORY:
                if (outer == null) {
                    throw TxkitException.of(ErrorCode.MISUSE, "Propagation.MANDATORY requires an active transaction,"
                            + " but none is active in this scope; call it from inside inTransaction");
                }
                return Route.JOIN;
            case REQUIRED:
                if (outer != null && rt.settings().strict) {
                    throw TxMessages.strictJoin(outer, "db.inTransaction(...)");
                }
                return outer == null ? Route.NEW : Route.JOIN;
            case NESTED:
                return outer == null ? Route.NEW : Route.NEST;
            case REQUIRES_NEW:
                return Route.NEW;
            default:
                throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "unknown propagation " + options.propagation());
        }
    }

    /** Runs {@code callback} without a transaction (Propagation.NEVER): statements in autocommit. */
    public static <R, X extends Exception> R withoutTransaction(TxRuntime rt, TxOptions options,
                                                                TxCallback<R, X> callback) throws X {
        return callback.apply(new NoTx(rt, options));
    }

    /** Runs {@code callback} in a scope joined to {@code outer} (a savepoint when {@code nested}). */
    public static <R, X extends Exception> R joined(PhysicalTx outer, TxOptions options, TxCallback<R, X> callback,
                                                    boolean nested) throws X {
        JoinedTx scope = join(outer, options, nested, "a " + options.propagation() + " scope");
        R result;
        try {
            result = callback.apply(scope);
        } catch (Throwable t) {
            scope.failed(t);
            throw t;
        }
        scope.succeeded();
        return result;
    }

    /**
     * {@code db.begin(options)} with {@code outer} in scope: the joined scope, or {@code null} when a new
     * physical transaction must begin; MISUSE where it makes no sense.
     */
    public static Transaction beginJoined(TxRuntime rt, TxOptions options, PhysicalTx outer) {
        switch (options.propagation()) {
            case NEVER:
                throw TxkitException.of(ErrorCode.MISUSE, "begin() with Propagation.NEVER makes no sense;"
                        + " use db.sql(...) to run without a transaction");
            case MANDATORY:
            case REQUIRED:
            case NESTED:
                if (outer != null && rt.settings().strict && options.propagation() == Propagation.REQUIRED) {
                    throw TxMessages.strictJoin(outer, "db.begin()");
                }
                if (outer != null) {
                    if (!outer.isActive()) {
                        throw outer.closedError("begin()");
                    }
                    return options.propagation() == Propagation.NESTED
                            ? JoinedTx.nested(outer, options) : JoinedTx.participant(outer, options);
                }
                if (options.propagation() == Propagation.MANDATORY) {
                    throw TxkitException.of(ErrorCode.MISUSE, "begin() with Propagation.MANDATORY requires"
                            + " an active transaction, but none is active in this scope");
                }
                return null;
            default:
                return null;
        }
    }

    /**
     * The connection for {@code db.dataSource().getConnection()}: a view of the scope's transaction,
     * or a pooled connection (waiting at most the default maxWait) that txkit keeps track of.
     */
    public static java.sql.Connection routedConnection(TxRuntime rt) {
        PhysicalTx tx = rt.current();
        if (tx != null) {
            if (rt.settings().strict) {
                throw TxMessages.strictMisuse(tx, "db.dataSource().getConnection()");
            }
            return tx.borrowedView();
        }
        return TrackedConnection.wrap(rt.registry(), rt.borrowedScope(), rt.acquire(rt.settings().defaults.maxWait()));
    }

    private static JoinedTx join(PhysicalTx outer, TxOptions options, boolean nested, String what) {
        if (!outer.isActive()) {
            throw outer.closedError(what);
        }
        if (options.isolation() != null && options.isolation() != outer.options.isolation()) {
            throw TxkitException.of(ErrorCode.MISUSE, "a " + options.propagation() + " scope asks for "
                    + options.isolation() + " but joins " + outer + " running at "
                    + (outer.options.isolation() == null ? "the database default" : outer.options.isolation())
                    + "; isolation cannot change inside a transaction; use Propagation.REQUIRES_NEW");
        }
        if (options.readOnly() && !outer.options.readOnly()) {
            throw TxkitException.of(ErrorCode.MISUSE, "a read-only " + options.propagation() + " scope cannot join "
                    + "read-write " + outer + "; use Propagation.REQUIRES_NEW for a separate read-only transaction");
        }
        return nested ? JoinedTx.nested(outer, options) : JoinedTx.participant(outer, options);
    }
}
