package dev.txkit.internal.tx;

import dev.txkit.internal.pool.ScopeProbe;

import java.sql.Connection;

/** The scope as a connection borrowed from {@code db.dataSource()} sees it (see {@link ScopeProbe}). Thread-safe. */
final class BorrowedScope implements ScopeProbe {
    private final TxRuntime rt;

    BorrowedScope(TxRuntime rt) {
        this.rt = rt;
    }

    @Override
    public Object current() {
        return rt.current();
    }

    @Override
    public Connection joinedConnection() {
        PhysicalTx tx = rt.current();
        if (rt.settings().strict) {
            throw TxMessages.strictMisuse(tx, "a connection from db.dataSource() borrowed before the transaction");
        }
        return tx.borrowedView();
    }
}
