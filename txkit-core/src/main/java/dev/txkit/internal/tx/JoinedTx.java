package dev.txkit.internal.tx;

import dev.txkit.ErrorCode;
import dev.txkit.Savepoint;
import dev.txkit.Sql;
import dev.txkit.Transaction;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.table.Table;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

/**
 * A scope inside an outer transaction: {@link dev.txkit.Propagation#REQUIRED}/{@code MANDATORY} (a
 * participant: its commit fails with MISUSE and its rollback marks the outer transaction rollback-only)
 * or {@code NESTED} (a savepoint: commit releases it, rollback undoes only this scope).
 */
final class JoinedTx implements Transaction {
    private final PhysicalTx tx;
    private final TxOptions options;
    private final Savepoint savepoint;
    private boolean ended;
    private boolean localRollbackOnly;
    private List<Runnable> deferred;

    private JoinedTx(PhysicalTx tx, TxOptions options, Savepoint savepoint) {
        this.tx = tx;
        this.options = options;
        this.savepoint = savepoint;
    }

    static JoinedTx participant(PhysicalTx tx, TxOptions options) {
        return new JoinedTx(tx, options, null);
    }

    static JoinedTx nested(PhysicalTx tx, TxOptions options) {
        return new JoinedTx(tx, options, tx.savepoint());
    }

    PhysicalTx physical() {
        return tx;
    }

    @Override
    public Sql sql(String sql, Object... args) {
        requireOpen("sql");
        return tx.sql(sql, args);
    }

    @Override
    public <T> Table<T> table(Class<T> type) {
        requireOpen("table");
        return tx.table(type);
    }

    /**
     * NESTED: releases the savepoint. REQUIRED/MANDATORY: MISUSE, and the scope stays open — there is
     * nothing to commit here, the outer transaction commits when its owner ends it, and returning
     * normally as if something had been committed would hide that.
     */
    @Override
    public void commit() {
        requireOpen("commit");
        if (savepoint == null) {
            throw TxkitException.of(ErrorCode.MISUSE, "commit() on a " + options.propagation() + " scope that"
                    + " joined " + tx + " would commit nothing: the outer transaction commits when its owner ends it."
                    + " Return from the callback (or close this scope) to end it, or use Propagation.REQUIRES_NEW"
                    + " for a transaction that commits on its own");
        }
        end();
    }

    @Override
    public void setRollbackOnly() {
        requireOpen("setRollbackOnly");
        if (savepoint == null) {
            tx.setRollbackOnly(); // a participant shares the physical transaction's fate
        } else {
            localRollbackOnly = true; // a savepoint contains it: this scope alone rolls back when it ends
        }
    }

    @Override
    public boolean isRollbackOnly() {
        return localRollbackOnly || tx.isRollbackOnly();
    }

    /** Ends the scope as a success: releases the savepoint, or rolls back to it when marked rollback-only. */
    private void end() {
        if (localRollbackOnly) {
            rollback();
            throw TxkitException.of(ErrorCode.ROLLBACK_ONLY, "this nested scope was rolled back to its savepoint"
                    + " instead of released because setRollbackOnly() was called on it; the outer transaction goes on");
        }
        ended = true;
        if (savepoint != null) {
            tx.release(savepoint);
            if (deferred != null) {
                for (Runnable r : deferred) {
                    tx.afterCommit(r);
                }
                deferred = null;
            }
        }
    }

    /**
     * NESTED: rolls back to the savepoint. REQUIRED/MANDATORY: marks the outer transaction rollback-only
     * (its commit then fails with ROLLBACK_ONLY, nothing is written) and ends this scope.
     */
    @Override
    public void rollback() {
        requireOpen("rollback");
        ended = true;
        if (savepoint != null) {
            tx.rollbackTo(savepoint);
        } else {
            tx.markRollbackOnly(TxkitException.of(ErrorCode.ROLLBACK_ONLY,
                    "a joined scope called rollback(); the whole transaction will roll back"));
        }
    }

    @Override
    public void close() {
        if (!ended) {
            rollback();
        }
    }

    /** After the callback threw: undo this scope, keeping rollback problems as suppressed. */
    void failed(Throwable failure) {
        if (ended) {
            return;
        }
        ended = true;
        if (savepoint == null) {
            tx.markRollbackOnly(failure);
            return;
        }
        if (tx.isActive()) {
            try {
                tx.rollbackTo(savepoint);
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
    }

    /** After the callback returned normally. */
    void succeeded() {
        if (!ended) {
            end();
        }
    }

    private void requireOpen(String what) {
        if (ended) {
            throw TxkitException.of(ErrorCode.CLOSED, "this " + (savepoint == null ? "joined" : "nested")
                    + " scope has already ended; cannot " + what);
        }
    }

    @Override
    public Savepoint savepoint() {
        return tx.savepoint();
    }

    @Override
    public void rollbackTo(Savepoint savepoint) {
        tx.rollbackTo(savepoint);
    }

    @Override
    public void release(Savepoint savepoint) {
        tx.release(savepoint);
    }

    @Override
    public void afterCommit(Runnable hook) {
        tx.afterCommit(hook);
    }

    @Override
    public void afterRollback(Runnable hook) {
        tx.afterRollback(hook);
    }

    @Override
    public void defer(Runnable sideEffect) {
        if (sideEffect == null) {
            throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "sideEffect must not be null");
        }
        if (savepoint == null) {
            tx.afterCommit(sideEffect);
            return;
        }
        requireOpen("defer");
        // kept here until the savepoint is released: rolling back to it must discard them
        (deferred == null ? deferred = new ArrayList<>(2) : deferred).add(sideEffect);
    }

    @Override
    public int attempt() {
        return tx.attempt();
    }

    @Override
    public Connection connection() {
        return tx.connection();
    }

    @Override
    public TxOptions options() {
        return options;
    }

    @Override
    public boolean isActive() {
        return !ended && tx.isActive();
    }
}
