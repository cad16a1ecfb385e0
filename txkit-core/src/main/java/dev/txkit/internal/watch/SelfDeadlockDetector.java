package dev.txkit.internal.watch;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;
import dev.txkit.internal.Engine;
import dev.txkit.internal.PoolShare;
import dev.txkit.internal.jdbc.InFlight;
import dev.txkit.internal.tx.PhysicalTx;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Notices a statement that waits for a lock held by a transaction of this same process that cannot
 * go on, and ends the wait with {@link ErrorCode#SELF_DEADLOCK} instead of letting both wait for a
 * timeout (seed 002: the root client used inside a transaction), whichever door the statement came
 * through. One detector per pool ({@link PoolShare}); it watches that pool's transactions.
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
 * does not count. Only then is the server asked, from a
 * connection outside the pool (which may be exhausted), who waits for the candidates' locks; see
 * {@link LockProbe} for what is cancelled and how. One lock-view query at a time per pool, on a
 * shared daemon thread; a candidate that turns out not to block anyone it can stop is asked about
 * again only after a growing pause (at most {@value #MAX_BACKOFF_MILLIS} ms). Thread-safe.
 */
public final class SelfDeadlockDetector {
    static final System.Logger LOG = System.getLogger("dev.txkit");
    static final long MAX_BACKOFF_MILLIS = 1000;
    private static final long SIDE_IDLE_NANOS = TimeUnit.SECONDS.toNanos(10);
    static final long RETRY_AFTER_FAILURE_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long NEAR_DEADLINE_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);

    final PoolShare share;
    final long thresholdNanos;
    /** Since when each transaction thread has been seen parked / running (written by the watchdog). */
    final Map<Thread, Long> parkedSince = new ConcurrentHashMap<>();
    final Map<Thread, Long> runningSince = new ConcurrentHashMap<>();
    /** When a candidate transaction may be asked about again, after the server showed nothing to stop. */
    final Map<PhysicalTx, Long> nextProbe = new ConcurrentHashMap<>();
    private final AtomicBoolean probing = new AtomicBoolean();
    private final LockProbe probe = new LockProbe(this);
    private volatile Connection side;
    volatile long lastProbeNanos;
    volatile long pausedUntil;
    private volatile boolean off;
    private volatile boolean closed;

    public SelfDeadlockDetector(PoolShare share) {
        this.share = share;
        Engine first = share.primary();
        this.thresholdNanos = first.settings.selfDeadlockThreshold.toNanos();
        long now = System.nanoTime(); // nanoTime may be any value, even negative: never compare with 0
        this.pausedUntil = now;
        this.lastProbeNanos = now;
    }

    Engine engine() {
        return share.primary();
    }

    public void tick(long now) {
        Engine engine = engine();
        if (engine == null) {
            return;
        }
        sampleThreads(now);
        if (off || closed || probing.get() || now - pausedUntil < 0 || !LockView.supports(engine.dialectOrGeneric())) {
            return;
        }
        List<PhysicalTx> holders = candidates(now);
        List<InFlight> waiters = waiters(now);
        if (holders.isEmpty() && waiters.isEmpty()) {
            if (side != null && now - lastProbeNanos > SIDE_IDLE_NANOS) {
                submit(this::closeSide);
            }
            return;
        }
        submit(() -> probe.run(holders, waiters));
    }

    private void submit(Runnable task) {
        probing.set(true);
        try {
            Probes.EXECUTOR.execute(() -> {
                try {
                    task.run();
                } finally {
                    probing.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            probing.set(false);
        }
    }

    private void sampleThreads(long now) {
        if (share.open.isEmpty()) {
            parkedSince.clear();
            runningSince.clear();
            nextProbe.clear();
            return;
        }
        Set<Thread> seen = new HashSet<>();
        for (PhysicalTx tx : share.open) {
            sample(tx.owner, seen, now);
            for (Thread t : tx.carriers) {
                sample(t, seen, now);
            }
        }
        parkedSince.keySet().retainAll(seen);
        runningSince.keySet().retainAll(seen);
        nextProbe.keySet().retainAll(share.open);
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
    private List<PhysicalTx> candidates(long now) {
        List<PhysicalTx> out = new ArrayList<>();
        for (PhysicalTx tx : share.open) {
            if (!tx.isOpen() || tx.current != null) {
                continue;
            }
            Long next = nextProbe.get(tx);
            if (next != null && now - next < 0) {
                continue;
            }
            if (nearDeadline(tx, now)
                    || settled(tx, tx.owner, now) && tx.carriers.stream().allMatch(t -> settled(tx, t, now))) {
                out.add(tx);
            }
        }
        return out;
    }

    /** This pool's own statements past the threshold, near their deadline, that are due for a look. */
    private List<InFlight> waiters(long now) {
        List<InFlight> out = new ArrayList<>();
        for (InFlight f : share.autoFlights) {
            consider(f, now, out);
        }
        for (PhysicalTx tx : share.open) {
            InFlight f = tx.current;
            if (f != null) {
                consider(f, now, out);
            }
        }
        return out;
    }

    /**
     * A statement of this pool is asked about on its own only when its transaction nears the
     * deadline (so that its TIMEOUT can name the lock it waited for): a question the server answers
     * from MariaDB's lock cache keeps that cache stale for every other reader, so none is asked
     * without a use.
     */
    private void consider(InFlight f, long now, List<InFlight> out) {
        if (f.tx != null && nearDeadline(f.tx, now) && f.statement != null && f.cancelCode == null
                && now - f.startNanos >= thresholdNanos && !(f.probed && now - f.nextProbeNanos < 0)) {
            out.add(f);
        }
    }

    /**
     * Whether no thread of {@code tx} can advance it: each is parked long enough on another thread,
     * or is {@code waiterThread} (the thread of the statement that waits for {@code tx}).
     */
    boolean stuck(PhysicalTx tx, Thread waiterThread, long now) {
        if (tx.owner != waiterThread && !longEnough(parkedSince, tx.owner, now)) {
            return false;
        }
        for (Thread t : tx.carriers) {
            if (t != waiterThread && !longEnough(parkedSince, t, now)) {
                return false;
            }
        }
        return true;
    }

    /**
     * An idle transaction close to its deadline is asked about whatever its threads do, so that if
     * a lock wait is what keeps it open, its TIMEOUT can say so.
     */
    static boolean nearDeadline(PhysicalTx tx, long now) {
        long left = tx.nanosToDeadline(now);
        return left < NEAR_DEADLINE_NANOS || left < TimeUnit.MILLISECONDS.toNanos(tx.options.timeout().toMillis() / 4);
    }

    /** Parked or running for the threshold: not a thread that just moved on. */
    private boolean settled(PhysicalTx tx, Thread t, long now) {
        return longEnough(parkedSince, t, now) || longEnough(runningSince, t, now);
    }

    /**
     * Whether every thread of {@code tx} waits: parked long enough on another thread, or inside a
     * JDBC driver's socket read (a statement on some other connection). One stack sample per running
     * thread; probe thread only.
     */
    boolean allWaiting(PhysicalTx tx, long now) {
        if (!longEnough(parkedSince, tx.owner, now) && !ThreadStates.inJdbcRead(tx.owner)) {
            return false;
        }
        for (Thread t : tx.carriers) {
            if (!longEnough(parkedSince, t, now) && !ThreadStates.inJdbcRead(t)) {
                return false;
            }
        }
        return true;
    }

    boolean longEnough(Map<Thread, Long> since, Thread t, long now) {
        Long s = since.get(t);
        return s != null && now - s >= thresholdNanos;
    }

    /** The side connection outside the pool, or null (then detection turns itself off, once, loudly). */
    Connection side() throws SQLException {
        Connection c = side;
        if (c != null && !c.isClosed()) {
            return c;
        }
        Engine engine = engine();
        c = engine == null ? null : share.poolSource.openUnpooled();
        if (c == null) {
            if (engine != null) {
                off = true;
                String why = "self-deadlock detection is off: it needs a connection from outside the pool, which txkit"
                        + " can open only for a HikariCP pool configured with a jdbcUrl";
                engine.report(why, new TxkitException(ErrorCode.UNSUPPORTED, why));
            }
            return null;
        }
        if (engine.dialectOrGeneric() == dev.txkit.dialect.Dialects.POSTGRES) {
            try (Statement st = c.createStatement()) {
                st.execute("SET application_name = 'txkit self-deadlock probe'");
            }
        }
        if (closed) {
            c.close();
            return null;
        }
        side = c;
        return c;
    }

    void closeSide() {
        Connection c = side;
        side = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException | RuntimeException e) {
                // a diagnostics connection: nothing depends on closing it cleanly
            }
        }
    }

    public void close() {
        closed = true;
        closeSide();
    }

    boolean isClosed() {
        return closed;
    }

    /** The one daemon thread that runs lock-view queries for every pool of the JVM. */
    private static final class Probes {
        static final Executor EXECUTOR = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "txkit-lock-probe");
            t.setDaemon(true);
            return t;
        });
    }
}
