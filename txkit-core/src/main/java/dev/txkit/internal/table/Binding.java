package dev.txkit.internal.table;

import dev.txkit.ErrorCode;
import dev.txkit.Propagation;
import dev.txkit.Savepoint;
import dev.txkit.TxkitException;
import dev.txkit.dialect.Dialect;
import dev.txkit.internal.jdbc.StatementExecutor;
import dev.txkit.internal.tx.PhysicalTx;
import dev.txkit.internal.tx.TxRuntime;

import java.util.function.Function;

/**
 * Where a table's statements run: one transaction ({@code tx.table}), or the Database's ambient
 * router ({@code db.table}: the scope's transaction, else autocommit); and how work of several
 * statements is made all or nothing there. Immutable.
 */
final class Binding {
    final Tables tables;
    /** The bound transaction, or {@code null} for the ambient scope. */
    final PhysicalTx tx;

    Binding(Tables tables, PhysicalTx tx) {
        this.tables = tables;
        this.tx = tx;
    }

    private TxRuntime rt() {
        return tables.runtime();
    }

    StatementExecutor executor() {
        return tx != null ? tx : rt().router();
    }

    Dialect dialect() {
        return rt().dialects().resolve();
    }

    /** Whether reads should take row locks: an attempt of an optimistic retry after a conflict. */
    boolean escalated() {
        return tables.escalation.appliesTo(scope(), dialect());
    }

    /** The transaction statements would run in right now, or {@code null} (autocommit). */
    PhysicalTx scope() {
        return tx != null ? tx : rt().current();
    }

    /** MISUSE unless statements run in a transaction: a lock taken in autocommit ends with its statement. */
    void requireTransaction(String what) {
        if (scope() == null) {
            throw TxkitException.of(ErrorCode.MISUSE, what + " outside a transaction would lock nothing: the lock"
                    + " ends with the statement. Call it inside db.inTransaction(...) / db.begin()");
        }
    }

    /**
     * Runs {@code work} all or nothing: in a new transaction when there is none, else under a savepoint
     * of the current one, so a failure undoes exactly this work and leaves the caller's transaction usable.
     */
    <R> R atomically(String who, Function<PhysicalTx, R> work) {
        PhysicalTx current = scopeForMultiStatement(who);
        if (current == null) {
            return fresh(work);
        }
        Savepoint sp = current.savepoint();
        R result;
        try {
            result = work.apply(current);
        } catch (RuntimeException | Error e) {
            if (current.isActive()) {
                try {
                    current.rollbackTo(sp);
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            throw e;
        }
        current.release(sp);
        return result;
    }

    /** Like {@link #atomically} without the savepoint: enough for one write plus its read-back. */
    <R> R inTransaction(String who, Function<PhysicalTx, R> work) {
        PhysicalTx current = scopeForMultiStatement(who);
        return current == null ? fresh(work) : work.apply(current);
    }

    private <R> R fresh(Function<PhysicalTx, R> work) {
        // no transaction in scope, so REQUIRED starts a physical one
        return tables.transactions.inTransaction(rt().settings().defaults.withPropagation(Propagation.REQUIRED),
                t -> work.apply((PhysicalTx) t));
    }

    /** The scope's transaction; honours strict mode like {@code db.sql} does. */
    PhysicalTx scopeForMultiStatement(String who) {
        if (tx != null) {
            return tx;
        }
        PhysicalTx current = rt().current();
        if (current != null && rt().settings().strict) {
            throw TxkitException.of(ErrorCode.MISUSE, "db.table(" + who + ") was used inside " + current
                    + " while strict mode is on; use tx.table(" + who + ".class) instead");
        }
        return current;
    }
}
