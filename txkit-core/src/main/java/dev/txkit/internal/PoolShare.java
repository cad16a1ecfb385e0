package dev.txkit.internal;

import dev.txkit.internal.jdbc.TxView;
import dev.txkit.internal.context.Settings;
import dev.txkit.internal.pool.ConnectionSource;
import dev.txkit.internal.pool.Registry;
import dev.txkit.internal.tx.PhysicalTx;
import dev.txkit.internal.tx.TxRuntime;
import dev.txkit.internal.watch.SelfDeadlockDetector;
import dev.txkit.spi.ContextStorage;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every {@code Database} over one pool shares (Spring keys its transaction resources by
 * DataSource the same way, without its statics): the ambient slot, so that a second Database inside
 * a scope joins the scope's transaction; the registry of open transactions, statements in flight
 * and borrowed connections, so the pool guard and the self-deadlock detector see all of them; and
 * one detector. Reference-counted by its Databases: the first one's context storage and detector
 * settings apply; closing one leaves the others working, and the last one stops the detector.
 * Thread-safe.
 */
final class PoolShare {
    private static final long MIN_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    final String name;
    /** The pool's own connection source (not a wrapper's): side connections and the server's URL. */
    final ConnectionSource poolSource;
    final ContextStorage storage;
    final ContextStorage.Slot<PhysicalTx> slot;
    final Registry registry = new Registry();
    private final List<Engine> engines = new CopyOnWriteArrayList<>();
    private final AtomicLong lastTick = new AtomicLong(System.nanoTime() - TimeUnit.SECONDS.toNanos(1));
    private final java.util.Map<Engine, Runnable> wakes = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile SelfDeadlockDetector detector;

    PoolShare(String name, ConnectionSource poolSource, ContextStorage storage) {
        this.name = name;
        this.poolSource = poolSource;
        this.storage = storage;
        this.slot = storage.newSlot("txkit@" + name);
    }

    synchronized void join(Engine engine) {
        engines.add(engine);
    }

    /** Starts the pool's detector with the first Database's settings, once its runtime exists. */
    synchronized void startDetector(Settings settings, TxRuntime rt) {
        if (detector == null) {
            detector = new SelfDeadlockDetector(settings, registry, poolSource, rt.dialects(), rt.listeners(),
                    () -> PoolShares.doorsOn(this));
        }
    }

    /** Wakes {@code engine}'s watchdog whenever work is registered on the pool (until it leaves). */
    void wakeOnWork(Engine engine, Runnable wake) {
        wakes.put(engine, wake);
        registry.onWork(wake);
    }

    /** Removes a Database; the last one stops the detector and returns true. */
    synchronized boolean leave(Engine engine) {
        engines.remove(engine);
        Runnable wake = wakes.remove(engine);
        if (wake != null) {
            registry.removeOnWork(wake);
        }
        if (!engines.isEmpty()) {
            return false;
        }
        if (detector != null) {
            detector.close();
            detector = null;
        }
        return true;
    }

    int databases() {
        return engines.size();
    }

    boolean holdsSideConnection() {
        SelfDeadlockDetector d = detector;
        return d != null && d.holdsSideConnection();
    }

    /**
     * Deadlines and detection for the whole pool: every Database's watchdog calls this, the first
     * call in each 5 ms does the work (so the pool is watched while any of its Databases is).
     */
    void tick(long now) {
        long last = lastTick.get();
        if (now - last < MIN_TICK_NANOS || !lastTick.compareAndSet(last, now)) {
            return;
        }
        for (TxView tx : registry.open()) {
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
