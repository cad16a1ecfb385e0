package dev.txkit.internal.pool;

import dev.txkit.internal.jdbc.InFlight;
import dev.txkit.internal.jdbc.TxView;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who holds what in one Database: its open transactions, its autocommit statements in flight and
 * the pooled connections {@code db.dataSource()} handed out outside a scope. The transaction layer
 * registers into it; the pool guard, the watchdog and the self-deadlock detector read it, so none of
 * them needs the engine. Thread-safe (concurrent sets; the open transactions in {@link OpenTransactions}).
 */
public final class Registry {
    private final Set<TxView> open = new OpenTransactions();
    private final Set<InFlight> autoFlights = ConcurrentHashMap.newKeySet();
    private final Set<TrackedConnection> borrowed = ConcurrentHashMap.newKeySet();
    /** The wake-ups of the watchdogs of every Database over this pool (they share this registry). */
    private final java.util.List<Runnable> onWork = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Called whenever a transaction or a statement is registered (a watchdog's wake-up). */
    public void onWork(Runnable wake) {
        onWork.add(wake);
    }

    /** Forgets a wake-up (its Database closed). */
    public void removeOnWork(Runnable wake) {
        onWork.remove(wake);
    }

    private void wake() {
        for (Runnable r : onWork) {
            r.run();
        }
    }

    /** A transaction began. */
    public void register(TxView tx) {
        open.add(tx);
        wake();
    }

    /** A transaction ended. */
    public void unregister(TxView tx) {
        open.remove(tx);
    }

    /** A statement outside any transaction started. */
    public void enter(InFlight flight) {
        autoFlights.add(flight);
        wake();
    }

    /** A statement outside any transaction ended. */
    public void exit(InFlight flight) {
        autoFlights.remove(flight);
    }

    /** Whether nothing is open or running (the watchdog may rest). */
    public boolean idle() {
        return open.isEmpty() && autoFlights.isEmpty();
    }

    /** Open transactions (live, read-only view). */
    public Set<TxView> open() {
        return java.util.Collections.unmodifiableSet(open);
    }

    /** Statements running outside any transaction (live, read-only view). */
    public Set<InFlight> autoFlights() {
        return java.util.Collections.unmodifiableSet(autoFlights);
    }

    Set<TrackedConnection> borrowed() {
        return borrowed;
    }

    /** Connections {@code thread} holds through txkit: transactions it owns plus tracked borrowed ones. */
    public int heldBy(Thread thread) {
        int n = 0;
        for (TxView tx : open) {
            if (tx.owner() == thread) {
                n++;
            }
        }
        for (TrackedConnection c : borrowed) {
            if (c.borrower == thread) {
                n++;
            }
        }
        return n;
    }

    /** How many connections each holding thread holds. */
    Map<Thread, Integer> holders() {
        Map<Thread, Integer> held = new HashMap<>();
        for (TxView tx : open) {
            held.merge(tx.owner(), 1, Integer::sum);
        }
        for (TrackedConnection c : borrowed) {
            held.merge(c.borrower, 1, Integer::sum);
        }
        return held;
    }

    /** The ids of the open transactions {@code thread} owns, comma-separated; empty when none. */
    String transactionsOf(Thread thread) {
        StringBuilder ids = new StringBuilder();
        for (TxView tx : open) {
            if (tx.owner() == thread) {
                ids.append(ids.length() == 0 ? "" : ", ").append(tx.id());
            }
        }
        return ids.toString();
    }
}
