package dev.txkit.internal.pool;

import dev.txkit.internal.jdbc.TxView;

import java.util.AbstractSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The open transactions of a pool: every transaction is added when it begins and removed when it
 * ends, and the watchdog and the self-deadlock detector look at all of them every tick. Adding to and
 * removing from a concurrent hash set cost a short transaction more than its own JDBC calls on a fast
 * driver (issue 14), so a transaction first tries the slot its id names in a small array: one
 * compare-and-set in, one out. Ids grow by one per transaction, so the slot was last used
 * {@value #SLOTS} transactions ago and is almost always free; when it is not (many long transactions
 * at once), the transaction goes to the concurrent set instead, as before.
 *
 * <p>Thread-safe. Iteration is weakly consistent, like that of the concurrent set: it sees every
 * transaction that stays open while it runs, and may or may not see those that begin or end meanwhile.
 */
final class OpenTransactions extends AbstractSet<TxView> {
    static final int SLOTS = 256; // a power of two

    private final AtomicReferenceArray<TxView> slots = new AtomicReferenceArray<>(SLOTS);
    private final Set<TxView> overflow = ConcurrentHashMap.newKeySet();

    private static int slot(TxView tx) {
        return (int) tx.id() & (SLOTS - 1);
    }

    @Override
    public boolean add(TxView tx) {
        return slots.compareAndSet(slot(tx), null, tx) || overflow.add(tx);
    }

    @Override
    public boolean remove(Object o) {
        if (!(o instanceof TxView)) {
            return false;
        }
        TxView tx = (TxView) o;
        return slots.compareAndSet(slot(tx), tx, null) || overflow.remove(tx);
    }

    @Override
    public boolean contains(Object o) {
        return o instanceof TxView && (slots.get(slot((TxView) o)) == o || overflow.contains(o));
    }

    @Override
    public boolean isEmpty() {
        for (int i = 0; i < SLOTS; i++) {
            if (slots.get(i) != null) {
                return false;
            }
        }
        return overflow.isEmpty();
    }

    @Override
    public int size() {
        int n = 0;
        for (int i = 0; i < SLOTS; i++) {
            if (slots.get(i) != null) {
                n++;
            }
        }
        return n + overflow.size();
    }

    /** The slots in order, then the overflow set. */
    @Override
    public Iterator<TxView> iterator() {
        return new Iterator<>() {
            private int index;
            private final Iterator<TxView> rest = overflow.iterator();
            private TxView next = advance();

            private TxView advance() {
                while (index < SLOTS) {
                    TxView tx = slots.get(index++);
                    if (tx != null) {
                        return tx;
                    }
                }
                return rest.hasNext() ? rest.next() : null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public TxView next() {
                TxView tx = next;
                if (tx == null) {
                    throw new NoSuchElementException();
                }
                next = advance();
                return tx;
            }
        };
    }
}
