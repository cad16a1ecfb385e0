package dev.txkit.internal.table;

import dev.txkit.dialect.Dialect;
import dev.txkit.internal.tx.PhysicalTx;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The transactions whose reads lock: attempts of an optimistic retry that follow a conflict. Kept
 * here rather than on the transaction so the engine needs no table knowledge; an entry lives only
 * while its attempt's callback runs.
 */
final class Escalation {
    private static final Set<PhysicalTx> LOCKING = ConcurrentHashMap.newKeySet();

    private Escalation() {
    }

    static void start(PhysicalTx tx) {
        LOCKING.add(tx);
    }

    static void end(PhysicalTx tx) {
        LOCKING.remove(tx);
    }

    /** Whether reads in {@code tx} should take row locks. */
    static boolean appliesTo(PhysicalTx tx, Dialect dialect) {
        return tx != null && !LOCKING.isEmpty() && LOCKING.contains(tx) && dialect.supportsRowLocks();
    }
}
