package dev.txkit.spring;

import dev.txkit.Isolation;
import dev.txkit.spi.TransactionBridge;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionSynchronizationUtils;

import javax.sql.DataSource;
import java.util.List;

/**
 * A txkit transaction made visible to Spring for as long as it runs: its holder bound to the
 * DataSource, Spring's synchronization open (so {@code @TransactionalEventListener} and
 * {@code TransactionSynchronization}s registered inside run at txkit's commit or rollback, once),
 * and whatever Spring had bound before suspended and restored afterwards, as Spring's own
 * {@code REQUIRES_NEW} does. Used on the transaction's thread only.
 */
final class SpringBinding implements TransactionBridge.Binding {
    private final DataSource dataSource;
    private final TxkitConnectionHolder holder;
    private final Suspended suspended;
    private final boolean readOnly;
    private boolean completing;

    private SpringBinding(DataSource dataSource, TxkitConnectionHolder holder, Suspended suspended, boolean readOnly) {
        this.dataSource = dataSource;
        this.holder = holder;
        this.suspended = suspended;
        this.readOnly = readOnly;
    }

    static SpringBinding bind(DataSource dataSource, TransactionBridge.BoundTransaction tx) {
        Suspended suspended = Suspended.take(dataSource);
        TxkitConnectionHolder holder = new TxkitConnectionHolder(tx);
        TransactionSynchronizationManager.bindResource(dataSource, holder);
        TransactionSynchronizationManager.initSynchronization();
        TransactionSynchronizationManager.setActualTransactionActive(true);
        TransactionSynchronizationManager.setCurrentTransactionReadOnly(tx.options().readOnly());
        Isolation isolation = tx.options().isolation();
        TransactionSynchronizationManager.setCurrentTransactionIsolationLevel(isolation == null ? null : isolation.jdbcLevel());
        return new SpringBinding(dataSource, holder, suspended, tx.options().readOnly());
    }

    @Override
    public void beforeCommit() {
        completing = true;
        TransactionSynchronizationUtils.triggerBeforeCommit(readOnly);
        TransactionSynchronizationUtils.triggerBeforeCompletion();
    }

    @Override
    public void ended(boolean committed) {
        try {
            boolean active = TransactionSynchronizationManager.isSynchronizationActive();
            if (active && !completing) {
                TransactionSynchronizationUtils.triggerBeforeCompletion();
            }
            List<TransactionSynchronization> synchronizations = active
                    ? TransactionSynchronizationManager.getSynchronizations() : List.of();
            // unbound first: Spring code in an afterCommit callback must not find the ended transaction
            TransactionSynchronizationManager.clear();
            TransactionSynchronizationManager.unbindResourceIfPossible(dataSource);
            if (committed) {
                TransactionSynchronizationUtils.invokeAfterCommit(synchronizations);
            }
            TransactionSynchronizationUtils.invokeAfterCompletion(synchronizations, committed
                    ? TransactionSynchronization.STATUS_COMMITTED : TransactionSynchronization.STATUS_ROLLED_BACK);
        } finally {
            if (TransactionSynchronizationManager.isSynchronizationActive()) {
                TransactionSynchronizationManager.clear();
            }
            suspended.resume(dataSource);
        }
    }

    @Override
    public boolean suspended() {
        Object bound = TransactionSynchronizationManager.getResource(dataSource);
        return bound != null && bound != holder; // a Spring REQUIRES_NEW put its own transaction here
    }
}
