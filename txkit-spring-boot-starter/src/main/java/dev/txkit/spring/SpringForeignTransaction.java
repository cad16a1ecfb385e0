package dev.txkit.spring;

import dev.txkit.Isolation;
import dev.txkit.spi.TransactionBridge;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.transaction.TransactionTimedOutException;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.sql.Connection;
import java.time.Duration;

/**
 * A Spring-managed transaction as txkit sees it while joining: Spring's connection, isolation,
 * read-only flag and deadline. txkit's state for it is bound next to Spring's holder (keyed by that
 * holder, so a Spring {@code REQUIRES_NEW} inside gets its own) and forgotten when Spring's
 * synchronization reports the end. Used on the transaction's thread only.
 */
final class SpringForeignTransaction implements TransactionBridge.ForeignTransaction {
    private final ConnectionHolder holder;
    private final Key key;

    /** Resource key of txkit's state for one Spring transaction of one bridge. */
    private record Key(SpringTransactionBridge bridge, ConnectionHolder holder) {
    }

    SpringForeignTransaction(SpringTransactionBridge bridge, ConnectionHolder holder) {
        this.holder = holder;
        this.key = new Key(bridge, holder);
    }

    @Override
    public Connection connection() {
        return holder.getConnection();
    }

    @Override
    public Isolation isolation() {
        return SpringTransactionBridge.isolation(TransactionSynchronizationManager.getCurrentTransactionIsolationLevel());
    }

    @Override
    public boolean readOnly() {
        return TransactionSynchronizationManager.isCurrentTransactionReadOnly();
    }

    @Override
    public Duration remaining() {
        if (!holder.hasTimeout()) {
            return null;
        }
        try {
            return Duration.ofMillis(holder.getTimeToLiveInMillis());
        } catch (TransactionTimedOutException e) {
            return Duration.ZERO; // already past Spring's deadline: txkit reports TIMEOUT
        }
    }

    @Override
    public void setRollbackOnly() {
        holder.setRollbackOnly(); // Spring's commit then rolls back (UnexpectedRollbackException)
    }

    @Override
    public Object attachment() {
        return TransactionSynchronizationManager.getResource(key);
    }

    @Override
    public void attach(Object state, TransactionBridge.EndListener onEnd) {
        TransactionSynchronizationManager.bindResource(key, state);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(key);
                onEnd.ended(status == STATUS_COMMITTED);
            }
        });
    }
}
