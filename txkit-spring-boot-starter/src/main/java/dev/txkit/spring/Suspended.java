package dev.txkit.spring;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import javax.sql.DataSource;
import java.util.List;

/**
 * What Spring had bound on this thread when txkit began a transaction of its own (a txkit
 * {@code REQUIRES_NEW} inside a Spring transaction): the DataSource's resource, the
 * synchronizations and the current transaction's attributes, restored when txkit's ends.
 */
record Suspended(Object resource, List<TransactionSynchronization> synchronizations, String name,
                 boolean readOnly, Integer isolation, boolean active) {

    static Suspended take(DataSource dataSource) {
        Object resource = TransactionSynchronizationManager.unbindResourceIfPossible(dataSource);
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return new Suspended(resource, null, null, false, null, false);
        }
        List<TransactionSynchronization> synchronizations = TransactionSynchronizationManager.getSynchronizations();
        for (TransactionSynchronization s : synchronizations) {
            s.suspend();
        }
        Suspended taken = new Suspended(resource, synchronizations,
                TransactionSynchronizationManager.getCurrentTransactionName(),
                TransactionSynchronizationManager.isCurrentTransactionReadOnly(),
                TransactionSynchronizationManager.getCurrentTransactionIsolationLevel(),
                TransactionSynchronizationManager.isActualTransactionActive());
        TransactionSynchronizationManager.clear();
        return taken;
    }

    void resume(DataSource dataSource) {
        if (resource != null) {
            TransactionSynchronizationManager.bindResource(dataSource, resource);
        }
        if (synchronizations == null) {
            return;
        }
        TransactionSynchronizationManager.initSynchronization();
        for (TransactionSynchronization s : synchronizations) {
            s.resume();
            TransactionSynchronizationManager.registerSynchronization(s);
        }
        TransactionSynchronizationManager.setCurrentTransactionName(name);
        TransactionSynchronizationManager.setCurrentTransactionReadOnly(readOnly);
        TransactionSynchronizationManager.setCurrentTransactionIsolationLevel(isolation);
        TransactionSynchronizationManager.setActualTransactionActive(active);
    }
}
