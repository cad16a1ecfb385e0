package dev.txkit.internal.table;

import dev.txkit.dialect.Dialect;
import dev.txkit.internal.tx.PhysicalTx;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The transactions of one Database whose reads lock: attempts of an optimistic retry that follow a
 * conflict. Kept here rather than on the transaction so the transaction layer needs no table
 * knowledge; an entry lives only while its attempt's callback runs. Thread-safe.
 */
final class Escalation {
    private final Set<PhysicalTx> locking = ConcurrentHashMap.newKeySet();

    void start(PhysicalTx tx) {
        locking.add(tx);
    }

    void end(PhysicalTx tx) {
        locking.remove(tx);
    }

    /** Whether reads in {@code tx} should take row locks. */
    boolean appliesTo(PhysicalTx tx, Dialect dialect) {
        return tx != null && !locking.isEmpty() && locking.contains(tx) && dialect.supportsRowLocks();
    }
}
