package dev.txkit.spring;

import dev.txkit.spi.TransactionBridge;
import org.springframework.jdbc.datasource.ConnectionHolder;

/**
 * The holder txkit binds for its own transaction: Spring code sees an active transaction on the
 * DataSource (so {@code @Transactional(REQUIRED)} participates and {@code JdbcTemplate} uses this
 * connection, a txkit view whose close is a no-op), and a Spring participant that rolls back marks
 * the txkit transaction rollback-only. Used on the transaction's thread only.
 */
final class TxkitConnectionHolder extends ConnectionHolder {
    private final TransactionBridge.BoundTransaction transaction;

    TxkitConnectionHolder(TransactionBridge.BoundTransaction transaction) {
        super(transaction.connection(), true);
        this.transaction = transaction;
        setSynchronizedWithTransaction(true);
    }

    @Override
    public void setRollbackOnly() {
        super.setRollbackOnly();
        transaction.setRollbackOnly("a Spring-managed participant (@Transactional or TransactionTemplate) of this"
                + " txkit transaction rolled back");
    }
}
