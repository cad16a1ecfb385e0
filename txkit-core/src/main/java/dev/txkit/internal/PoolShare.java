package dev.txkit.internal;

import dev.txkit.internal.jdbc.InFlight;
import dev.txkit.internal.pool.ConnectionSource;
import dev.txkit.internal.pool.TrackedConnection;
import dev.txkit.internal.tx.PhysicalTx;
import dev.txkit.internal.watch.SelfDeadlockDetector;
import dev.txkit.spi.ContextStorage;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What every {@code Database} over one pool shares (Spring keys its transaction resources by
 * DataSource the same way, without its statics): the ambient slot, so that a second Database inside
 * a scope joins the scope's transaction; the registry of open transactions, statements in flight
 * and borrowed connections, so the pool guard and the self-deadlock detector see all of them; and
 * one detector. Reference-counted by its Databases: the first one's context storage and detector
 * settings apply; closing one leaves the others working, and the last one stops the detector.
 * Thread-safe.
 */
public final class PoolShare {
    final String name;
    /** The pool's own connection source (not a wrapper's): for side connections and its URL. */
    public final ConnectionSource poolSource;
    final ContextStorage storage;
    public final ContextStorage.Slot<PhysicalTx> slot;
    public final Set<PhysicalTx> open = ConcurrentHashMap.newKeySet();
    public final Set<InFlight> autoFlights = ConcurrentHashMap.newKeySet();
    public final Set<TrackedConnection> borrowed = ConcurrentHashMap.newKeySet();
    private final List<Engine> engines = new CopyOnWriteArrayList<>();
    private volatile SelfDeadlockDetector detector;

    PoolShare(String name, ConnectionSource poolSource, ContextStorage storage) {
        this.name = name;
        this.poolSource = poolSource;
        this.storage = storage;
        this.slot = storage.newSlot("txkit@" + name);
    }

    /** Adds a Database; the first one also starts the detector. */
    synchronized void join(Engine engine) {
        engines.add(engine);
        if (detector == null) {
            detector = new SelfDeadlockDetector(this);
        }
    }

    /** Removes a Database; returns true when it was the last one. */
    synchronized boolean leave(Engine engine) {
        engines.remove(engine);
        if (engines.isEmpty() && detector != null) {
            detector.close();
            detector = null;
            return true;
        }
        return engines.isEmpty();
    }

    /** The Database whose settings and dialect speak for the pool (the oldest still open), or null. */
    public Engine primary() {
        for (Engine e : engines) {
            return e;
        }
        return null;
    }

    /** Databases open over this pool. */
    public int databases() {
        return engines.size();
    }

    /** Deadlines and detection run once per pool, on the tick of its primary Database. */
    void tick(Engine caller, long now) {
        if (primary() != caller) {
            return;
        }
        for (PhysicalTx tx : open) {
            tx.onTick(now);
        }
        SelfDeadlockDetector d = detector;
        if (d != null) {
            d.tick(now);
        }
    }

    @Override
    public String toString() {
        return "pool " + name;
    }
}
