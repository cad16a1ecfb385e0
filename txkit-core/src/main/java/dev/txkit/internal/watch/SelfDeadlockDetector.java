package dev.txkit.internal.watch;

import dev.txkit.ErrorCode;
import dev.txkit.dialect.Dialect;
import dev.txkit.internal.context.Listeners;
import dev.txkit.internal.context.Settings;
import dev.txkit.internal.jdbc.InFlight;
import dev.txkit.internal.jdbc.TxView;
import dev.txkit.internal.pool.ConnectionSource;
import dev.txkit.internal.pool.DialectCache;
import dev.txkit.internal.pool.Registry;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Notices a statement that waits for a lock held by a transaction of this same process that cannot
 * go on, and ends the wait with {@link ErrorCode#SELF_DEADLOCK} instead of letting both wait for a
 * timeout (seed 002: the root client used inside a transaction), whichever door the statement came
 * through. One detector per pool (all Databases over a pool share it); it watches that pool's
 * transactions.
 *
 * <p>On every watchdog tick (no I/O on that thread) it looks for <em>candidates</em>: open
 * transactions that run no statement and that none of their threads can advance: each of them (the
 * owner and any thread that carries it by propagation) has been parked for at least the threshold
 * on something another thread must do (a future, a latch, a lock, a monitor, {@code join}), or has
 * been running for the threshold, which the probe then checks is a JDBC driver's socket read (a
 * statement on another connection: txkit's, of any Database and pool, or one txkit never saw); or
 * it is idle within 1.5 s (or a quarter of its timeout) of its deadline, so that a TIMEOUT can name
 * the lock wait that kept it open (a long statement of such a transaction is asked about too). A
 * thread that sleeps, or a virtual thread parked without a blocker (I/O), wakes up by itself and
 * does not count. Only then is the server asked, from a connection outside the pool (which may be
 * exhausted), who waits for the candidates' locks; see {@link LockProbe} for what is cancelled and
 * how. One lock-view query at a time per pool, on its probe thread; a candidate that turns out not
 * to block anyone it can stop is asked about again only after a growing pause (at most
 * {@value #MAX_BACKOFF_MILLIS} ms). Thread-safe.
 */
public final class SelfDeadlockDetector {
    static final System.Logger LOG = System.getLogger("dev.txkit");
    static final long MAX_BACKOFF_MILLIS = 1000;
    private static final long SIDE_IDLE_NANOS = TimeUnit.SECONDS.toNanos(10);
    static final long RETRY_AFTER_FAILURE_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long NEAR_DEADLINE_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);

    /** Another pool's registry on the same server, and how to name it in messages. */
    public record PoolDoor(String name, Registry registry) {
    }

    final Registry registry;
    final DialectCache dialects;
    final Listeners listeners;
    final boolean beginSitesCaptured;
    final LockView lockView;
    final long thresholdNanos;
    /** The pools of this server (this one included), for the statements txkit routed through them. */
    final Supplier<List<PoolDoor>> doors;
    /** Since when each transaction thread has been seen parked / running (written by the watchdog). */
    final Map<Thread, Long> parkedSince = new ConcurrentHashMap<>();
    final Map<Thread, Long> runningSince = new ConcurrentHashMap<>();
    /** Since when each open transaction has run no statement of its own (written by the watchdog). */
    private final Map<TxView, Long> idleSince = new ConcurrentHashMap<>();
    /** When a candidate transaction may be asked about again, after the server showed nothing to stop. */
    final Map<TxView, Long> nextProbe = new ConcurrentHashMap<>();
    private final AtomicBoolean probing = new AtomicBoolean();
    private final LockProbe probe = new LockProbe(this);
    volatile long lastProbeNanos;
    volatile long pausedUntil;
    volatile boolean off;
    private volatile boolean closed;
    private Dialect checkedDialect;
    private boolean hasLockView;

    public SelfDeadlockDetector(Settings settings, Registry registry, ConnectionSource source, DialectCache dialects,
                                Listeners listeners, Supplier<List<PoolDoor>> doors) {
        this.registry = registry;
        this.dialects = dialects;
        this.listeners = listeners;
        this.beginSitesCaptured = settings.captureBeginSite;
        this.lockView = new LockView(source, listeners);
        this.thresholdNanos = settings.selfDeadlockThreshold.toNanos();
        this.doors = doors;
        long now = System.nanoTime(); // nanoTime may be any value, even negative: never compare with 0
        this.pausedUntil = now;
        this.lastProbeNanos = now;
    }

    public void tick(long now) {
        sampleThreads(now);
        if (off || closed || probing.get() || now - pausedUntil < 0 || !supported(dialects.orGeneric())) {
            return;
        }
        List<TxView> holders = candidates(now);
        List<InFlight> waiters = waiters(now);
        if (holders.isEmpty() && waiters.isEmpty()) {
            if (lockView.hasSide() && now - lastProbeNanos > SIDE_IDLE_NANOS) {
                submit(lockView::closeSide);
            }
            return;
        }
        submit(() -> probe.run(holders, waiters));
    }

    private void submit(Runnable task) {
        probing.set(true);
        boolean submitted = lockView.submit(() -> {
            try {
                task.run();
            } finally {
                probing.set(false);
            }
        });
        if (!submitted) {
            probing.set(false);
        }
    }

    /** Whether the dialect has a lock view; asked again only when the dialect changes (watchdog thread). */
    private boolean supported(Dialect d) {
        if (d != checkedDialect) {
            checkedDialect = d;
            hasLockView = d.lockWaitsQuery("0", "0") != null;
        }
        return hasLockView;
    }

    private void sampleThreads(long now) {
        if (registry.open().isEmpty()) {
            parkedSince.clear();
            runningSince.clear();
            nextProbe.clear();
            idleSince.clear();
            return;
        }
        Set<Thread> seen = new HashSet<>();
        for (TxView tx : registry.open()) {
            if (tx.current() == null) {
                idleSince.putIfAbsent(tx, now);
            } else {
                idleSince.remove(tx);
            }
            sample(tx.owner(), seen, now);
            for (Thread t : tx.carriers()) {
                sample(t, seen, now);
            }
        }
        parkedSince.keySet().retainAll(seen);
        runningSince.keySet().retainAll(seen);
        nextProbe.keySet().retainAll(registry.open());
        idleSince.keySet().retainAll(registry.open());
    }

    private void sample(Thread t, Set<Thread> seen, long now) {
        if (seen.add(t)) {
            if (ThreadStates.waitsForAnotherThread(t)) {
                parkedSince.putIfAbsent(t, now);
                runningSince.remove(t);
            } else {
                parkedSince.remove(t);
                if (t.getState() == Thread.State.RUNNABLE) {
                    runningSince.putIfAbsent(t, now);
                } else {
                    runningSince.remove(t);
                }
            }
        }
    }

    /** Idle open transactions of this pool that may be stuck, and not paused after a probe. */
    private List<TxView> candidates(long now) {
        List<TxView> out = new ArrayList<>();
        for (TxView tx : registry.open()) {
            if (!tx.isOpen() || tx.current() != null) {
                continue;
            }
            Long next = nextProbe.get(tx);
            if (next != null && now - next < 0) {
                continue;
            }
            // a running owner counts only once the transaction itself has been idle that long: its own
            // BEGIN, COMMIT and short statements are JDBC reads too, and must not cost a lock-view query
            boolean running = longEnough(idleSince, tx, now) && settled(tx.owner(), now)
                    && tx.carriers().stream().allMatch(t -> settled(t, now));
            if (nearDeadline(tx, now) || stuck(tx, null, now) || running) {
                out.add(tx);
            }
        }
        return out;
    }

    /** This pool's own statements past the threshold, near their deadline, that are due for a look. */
    private List<InFlight> waiters(long now) {
        List<InFlight> out = new ArrayList<>();
        for (TxView tx : registry.open()) {
            InFlight f = tx.current();
            // asked about only near the deadline, for the TIMEOUT's sake: each read of MariaDB's lock
            // cache keeps it stale for every other reader, so none is made without a use
            if (f != null && nearDeadline(tx, now) && f.statement != null && f.cancelCode == null
                    && now - f.startNanos >= thresholdNanos && !(f.probed && now - f.nextProbeNanos < 0)) {
                out.add(f);
            }
        }
        return out;
    }

    /** An idle transaction close to its deadline: asked about whatever its threads do, so its TIMEOUT can name a lock wait. */
    static boolean nearDeadline(TxView tx, long now) {
        long left = tx.marks().nanosToDeadline(now);
        long timeout = left + TimeUnit.MILLISECONDS.toNanos(tx.ageMillis());
        return left < NEAR_DEADLINE_NANOS || left < timeout / 4;
    }

    /** Parked or running for the threshold: not a thread that just moved on. */
    private boolean settled(Thread t, long now) {
        return longEnough(parkedSince, t, now) || longEnough(runningSince, t, now);
    }

    /**
     * Whether no thread of {@code tx} can advance it: each is parked long enough on another thread,
     * or is {@code waiterThread} (the thread of the statement that waits for {@code tx}).
     */
    boolean stuck(TxView tx, Thread waiterThread, long now) {
        if (tx.owner() != waiterThread && !longEnough(parkedSince, tx.owner(), now)) {
            return false;
        }
        for (Thread t : tx.carriers()) {
            if (t != waiterThread && !longEnough(parkedSince, t, now)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether every thread of {@code tx} waits: parked long enough on another thread, or inside a
     * JDBC driver's socket read (a statement on some other connection). One stack sample per running
     * thread; probe thread only.
     */
    boolean allWaiting(TxView tx, long now) {
        if (!longEnough(parkedSince, tx.owner(), now) && !ThreadStates.inJdbcRead(tx.owner())) {
            return false;
        }
        for (Thread t : tx.carriers()) {
            if (!longEnough(parkedSince, t, now) && !ThreadStates.inJdbcRead(t)) {
                return false;
            }
        }
        return true;
    }

    <K> boolean longEnough(Map<K, Long> since, K key, long now) {
        Long s = since.get(key);
        return s != null && now - s >= thresholdNanos;
    }

    boolean isClosed() {
        return closed;
    }

    /** Whether the diagnostic connection is open (ticks must go on until it is closed when idle). */
    public boolean holdsSideConnection() {
        return lockView.hasSide();
    }

    /** Stops the probe thread and closes the side connection. */
    public void close() {
        closed = true;
        lockView.close();
    }
}
