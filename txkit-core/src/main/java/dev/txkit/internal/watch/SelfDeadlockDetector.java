package dev.txkit.internal.watch;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;
import dev.txkit.dialect.Dialect;
import dev.txkit.internal.context.Listeners;
import dev.txkit.internal.context.Settings;
import dev.txkit.internal.jdbc.InFlight;
import dev.txkit.internal.jdbc.TxView;
import dev.txkit.internal.pool.ConnectionSource;
import dev.txkit.internal.pool.DialectCache;
import dev.txkit.internal.pool.Registry;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Notices a statement that waits for a lock held by a transaction of this same process that cannot
 * go on, and fails the statement with {@link ErrorCode#SELF_DEADLOCK} instead of letting both wait
 * for a timeout (seed 002: the root client used inside a transaction).
 *
 * <p>On every watchdog tick (no I/O on that thread) it looks for <em>suspects</em>: a txkit
 * statement (in a transaction, in autocommit, or made by plain JDBC through {@code db.dataSource()})
 * running longer than the threshold, and an open transaction of the same Database that runs no
 * statement and that none of its threads can advance: each of them (the owner and any thread that
 * carries it by propagation) either is the waiting statement's thread or has been parked for at
 * least the threshold on something another thread must do (a future, a latch, a lock, a monitor,
 * {@code join}). A thread that sleeps, or a virtual thread parked without a blocker (I/O), wakes up
 * by itself and does not count. Only then is the server asked, from a connection outside the pool
 * (which may be exhausted), whether the waiting session is really blocked by that transaction's
 * session; if so the statement is cancelled. One lock-view query at a time per Database, on its
 * own probe thread (see {@link LockView}); a suspect that turns out not to be blocked is asked about again only after
 * a growing pause (at most {@value #MAX_BACKOFF_MILLIS} ms). Thread-safe.
 */
public final class SelfDeadlockDetector {
    private static final System.Logger LOG = System.getLogger("dev.txkit");
    private static final long MAX_BACKOFF_MILLIS = 1000;
    private static final long SIDE_IDLE_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long RETRY_AFTER_FAILURE_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final Registry registry;
    private final DialectCache dialects;
    private final Listeners listeners;
    private final boolean beginSitesCaptured;
    private final LockView lockView;
    private final long thresholdNanos;
    /** Watchdog-thread state: since when each transaction thread has been seen parked. */
    private final Map<Thread, Long> parkedSince = new HashMap<>();
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile long lastProbeNanos;
    private volatile long pausedUntil;
    private volatile boolean off;
    private volatile boolean closed;
    private boolean failureReported;
    private Dialect checkedDialect;
    private boolean hasLockView;

    public SelfDeadlockDetector(Settings settings, Registry registry, ConnectionSource source, DialectCache dialects,
                                Listeners listeners) {
        this.registry = registry;
        this.dialects = dialects;
        this.listeners = listeners;
        this.beginSitesCaptured = settings.captureBeginSite;
        this.lockView = new LockView(source, listeners);
        this.thresholdNanos = settings.selfDeadlockThreshold.toNanos();
        long now = System.nanoTime(); // nanoTime may be any value, even negative: never compare with 0
        this.pausedUntil = now;
        this.lastProbeNanos = now;
    }

    public void tick(long now) {
        sampleThreads(now);
        if (off || closed || probing.get() || now - pausedUntil < 0 || !supported(dialects.orGeneric())) {
            return;
        }
        List<Suspect> suspects = suspects(now);
        if (suspects.isEmpty()) {
            if (lockView.hasSide() && now - lastProbeNanos > SIDE_IDLE_NANOS) {
                submit(lockView::closeSide);
            }
            return;
        }
        submit(() -> probe(suspects));
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
            hasLockView = d.blockingSessionsQuery("0") != null;
        }
        return hasLockView;
    }

    private void sampleThreads(long now) {
        if (registry.open().isEmpty()) {
            parkedSince.clear();
            return;
        }
        Set<Thread> seen = new HashSet<>();
        for (TxView tx : registry.open()) {
            sample(tx.owner(), seen, now);
            for (Thread t : tx.carriers()) {
                sample(t, seen, now);
            }
        }
        parkedSince.keySet().retainAll(seen);
    }

    private void sample(Thread t, Set<Thread> seen, long now) {
        if (seen.add(t)) {
            if (ThreadStates.waitsForAnotherThread(t)) {
                parkedSince.putIfAbsent(t, now);
            } else {
                parkedSince.remove(t);
            }
        }
    }

    private List<Suspect> suspects(long now) {
        List<InFlight> waiters = null;
        for (InFlight f : registry.autoFlights()) {
            waiters = consider(f, now, waiters);
        }
        for (TxView tx : registry.open()) {
            InFlight f = tx.current();
            if (f != null) {
                waiters = consider(f, now, waiters);
            }
        }
        if (waiters == null) {
            return List.of();
        }
        List<Suspect> suspects = new ArrayList<>();
        for (InFlight w : waiters) {
            List<TxView> holders = new ArrayList<>();
            for (TxView tx : registry.open()) {
                if (tx != w.tx && tx.isOpen() && tx.current() == null && stuck(tx, w.thread, now)) {
                    holders.add(tx);
                }
            }
            if (!holders.isEmpty()) {
                suspects.add(new Suspect(w, holders));
            }
        }
        return suspects;
    }

    /** Adds {@code f} to {@code waiters} (made on first use) when it is due for a look. */
    private List<InFlight> consider(InFlight f, long now, List<InFlight> waiters) {
        if (f.statement == null || f.cancelCode != null || now - f.startNanos < thresholdNanos
                || (f.probed && now - f.nextProbeNanos < 0)) {
            return waiters;
        }
        List<InFlight> list = waiters == null ? new ArrayList<>() : waiters;
        list.add(f);
        return list;
    }

    /** Whether no thread of {@code tx} can advance it, apart from the waiting statement's own thread. */
    private boolean stuck(TxView tx, Thread waiterThread, long now) {
        if (tx.owner() != waiterThread && !parkedLongEnough(tx.owner(), now)) {
            return false;
        }
        for (Thread t : tx.carriers()) {
            if (t != waiterThread && !parkedLongEnough(t, now)) {
                return false;
            }
        }
        return true;
    }

    private boolean parkedLongEnough(Thread t, long now) {
        Long since = parkedSince.get(t);
        return since != null && now - since >= thresholdNanos;
    }

    /** Runs on the probe thread: one lock-view query for all suspects, then cancels the confirmed ones. */
    private void probe(List<Suspect> suspects) {
        Dialect dialect = dialects.orGeneric();
        Map<InFlight, Long> sessions = new HashMap<>();
        for (Suspect s : suspects) {
            long id = s.waiter.tx != null ? s.waiter.tx.sessionId() : dialect.sessionId(s.waiter.connection);
            if (id > 0) {
                sessions.put(s.waiter, id);
            }
        }
        if (sessions.isEmpty()) {
            return;
        }
        Map<Long, Set<Long>> blockers;
        try {
            blockers = lockView.blockers(dialect, sessions.values());
            if (blockers == null) {
                off = true;
                return;
            }
            failureReported = false;
        } catch (SQLException | RuntimeException e) {
            lockView.closeSide();
            pausedUntil = System.nanoTime() + RETRY_AFTER_FAILURE_NANOS;
            if (!failureReported) {
                failureReported = true;
                listeners.report("self-deadlock detection: the lock-view query failed; retrying in 5 s", e);
            }
            return;
        }
        long now = System.nanoTime();
        lastProbeNanos = now;
        for (Suspect s : suspects) {
            Set<Long> blocking = blockers.get(sessions.get(s.waiter));
            TxView culprit = null;
            for (TxView h : s.holders) {
                if (blocking != null && h.isOpen() && blocking.contains(h.sessionId())) {
                    culprit = h;
                    break;
                }
            }
            if (culprit == null) {
                long elapsed = now - s.waiter.startNanos;
                long pause = Math.min(Math.max(elapsed, thresholdNanos), TimeUnit.MILLISECONDS.toNanos(MAX_BACKOFF_MILLIS));
                s.waiter.nextProbeNanos = now + pause;
                s.waiter.probed = true;
                continue;
            }
            String message = SelfDeadlockMessage.of(s.waiter, culprit, beginSitesCaptured);
            if (s.waiter.cancel(ErrorCode.SELF_DEADLOCK, message)) {
                LOG.log(System.Logger.Level.WARNING, "txkit: SELF_DEADLOCK: " + message);
            }
        }
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

    /** A statement past the threshold and the transactions that might be blocking it. */
    private static final class Suspect {
        final InFlight waiter;
        final List<TxView> holders;

        Suspect(InFlight waiter, List<TxView> holders) {
            this.waiter = waiter;
            this.holders = holders;
        }
    }
}
