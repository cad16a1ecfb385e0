package dev.txkit.internal.contention;

import dev.txkit.KeyContention;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The admission state of one contention key: an AIMD limit on attempts in flight, learnt from their
 * outcomes, and the FIFO of transactions waiting for a free place. A record exists only once the key
 * has collided; until it collides a second time (and again after a long clean run) it is <em>cold</em>
 * and only counts attempts in flight, so admission is one volatile read and one atomic increment.
 *
 * <p>The limit falls by half on a collision of an attempt admitted after the previous decrease (the
 * attempts already running when the limit fell saw the old limit, so their collisions say nothing new —
 * TCP's one-decrease-per-round-trip rule), and rises by {@code INCREASE / limit} per clean commit while
 * there is demand for more. Thread-safe: {@code hot} and {@code inFlight} are read without the lock,
 * everything else is guarded by it.
 */
final class KeyLimit {
    static final double MIN = 1;
    static final double MAX = 1024;
    /** Multiplicative decrease on a collision. */
    static final double DECREASE = 0.5;
    /**
     * Additive increase per clean commit is {@code INCREASE / limit}: at limit 1 about twelve commits pass
     * before two run at once again. A hot row serves one writer, so probing slowly keeps wasted attempts rare.
     */
    static final double INCREASE = 0.125;
    /** A key with this many clean commits in a row, none of which found anybody queued, turns cold. */
    static final int COOL_AFTER = 200;
    /** Collisions while cold that make a key hot. */
    static final int HEAT_AFTER = 2;
    private static final double RATE_WEIGHT = 0.05;

    /** A transaction waiting for admission; {@code admitted} is set (with its place counted) by a releaser. */
    static final class Waiter {
        final Thread thread = Thread.currentThread();
        volatile boolean admitted;
    }

    /** Changes a release or an admission made, reported by the caller after the lock is let go. */
    record Change(int previous, int limit) {
    }

    final Object key;
    /** {@code false}: only watched (collisions timed), never limited — see {@link ContentionControl.Observed}. */
    private final boolean limits;
    volatile boolean hot;
    /** nanoTime of the latest collision. */
    volatile long lastCollision;
    final AtomicInteger inFlight = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
    private double limit = MAX;
    private long lastDecrease = Long.MIN_VALUE;
    private int clean;
    private boolean queuedDuringRun;
    private int coldCollisions;
    private double conflictRate;
    private long attempts;
    private long conflicts;

    KeyLimit(Object key) {
        this.key = key;
        this.limits = !(key instanceof ContentionControl.Observed);
        this.lastCollision = System.nanoTime();
    }

    /** The place of an attempt if it can start now, else {@code null}: the caller must {@link #enqueue}. */
    boolean tryAdmit() {
        if (!hot) {
            inFlight.incrementAndGet();
            return true;
        }
        lock.lock();
        try {
            if (!hot || (queue.isEmpty() && inFlight.get() < (int) limit)) {
                inFlight.incrementAndGet();
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues the current thread; a retried attempt goes to the front, since it has waited longest. Admission
     * may already be possible (the limit rose meanwhile), so this admits what fits before returning.
     */
    Waiter enqueue(boolean retry) {
        Waiter w = new Waiter();
        lock.lock();
        try {
            if (retry) {
                queue.addFirst(w);
            } else {
                queue.addLast(w);
            }
            admitWhatFits();
        } finally {
            lock.unlock();
        }
        return w;
    }

    /** Gives up waiting; {@code false} if it was admitted meanwhile (then its place is counted and it must run). */
    boolean withdraw(Waiter w) {
        lock.lock();
        try {
            if (w.admitted) {
                return false;
            }
            queue.remove(w);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends an attempt admitted at {@code admittedAt} (nanoTime) and learns from its outcome; returns the
     * limit change to report, or {@code null}.
     */
    Change release(Outcome outcome, long admittedAt) {
        inFlight.decrementAndGet();
        if (outcome == Outcome.COLLIDED) {
            lastCollision = System.nanoTime();
        }
        if (!hot && outcome != Outcome.COLLIDED) {
            return null; // cold and clean: nothing to learn, no lock
        }
        lock.lock();
        try {
            int before = reportedLimit();
            if (!hot) {
                if (++coldCollisions >= HEAT_AFTER) {
                    heat();
                }
            } else {
                learn(outcome, admittedAt);
            }
            admitWhatFits();
            int after = reportedLimit();
            return before == after ? null : new Change(before, after);
        } finally {
            lock.unlock();
        }
    }

    /** A collision of an attempt that had no place counted (it started before this record existed). */
    void collidedUncounted() {
        lastCollision = System.nanoTime();
        lock.lock();
        try {
            if (!hot && ++coldCollisions >= HEAT_AFTER) {
                heat();
            }
        } finally {
            lock.unlock();
        }
    }

    private void heat() {
        if (!limits) {
            return;
        }
        hot = true;
        coldCollisions = 0;
        clean = 0;
        queuedDuringRun = false;
        // Those running now collided with each other: start at half of them.
        limit = Math.max(MIN, Math.min(MAX, (inFlight.get() + 1) * DECREASE));
        lastDecrease = System.nanoTime();
    }

    private void learn(Outcome outcome, long admittedAt) {
        attempts++;
        if (outcome == Outcome.COLLIDED) {
            conflicts++;
            conflictRate += RATE_WEIGHT * (1 - conflictRate);
            clean = 0;
            queuedDuringRun = false;
            if (admittedAt - lastDecrease > 0) {
                limit = Math.max(MIN, limit * DECREASE);
                lastDecrease = System.nanoTime();
            }
            return;
        }
        conflictRate -= RATE_WEIGHT * conflictRate;
        if (outcome != Outcome.COMMITTED) {
            return; // the callback's own failure, a timeout: says nothing about collisions
        }
        boolean demand = !queue.isEmpty() || inFlight.get() + 1 >= (int) limit;
        if (!queue.isEmpty()) {
            queuedDuringRun = true;
        }
        if (demand) {
            limit = Math.min(MAX, limit + INCREASE / limit);
        }
        if (++clean >= COOL_AFTER) {
            if (!queuedDuringRun) {
                hot = false; // nobody waited for a whole run of clean commits: the limit no longer matters
                limit = MAX;
            }
            clean = 0;
            queuedDuringRun = false;
        }
    }

    /** Admits queued transactions while places are free (all of them once the key is cold). Under the lock. */
    private void admitWhatFits() {
        while (!queue.isEmpty() && (!hot || inFlight.get() < (int) limit)) {
            Waiter w = queue.pollFirst();
            inFlight.incrementAndGet();
            w.admitted = true;
            LockSupport.unpark(w.thread);
        }
    }

    /** Unparks every waiter so it notices the Database closing (it withdraws itself). */
    void wakeAll() {
        lock.lock();
        try {
            for (Waiter w : queue) {
                LockSupport.unpark(w.thread);
            }
        } finally {
            lock.unlock();
        }
    }

    private int reportedLimit() {
        return hot ? (int) limit : Integer.MAX_VALUE;
    }

    /** Drops the record only when nothing refers to its state: cold and idle. */
    boolean idle() {
        lock.lock();
        try {
            return !hot && inFlight.get() == 0 && queue.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    KeyContention snapshot() {
        lock.lock();
        try {
            return new KeyContention(key, hot, reportedLimit(), inFlight.get(), queue.size(), conflictRate,
                    attempts, conflicts);
        } finally {
            lock.unlock();
        }
    }

    /** For messages: the numbers, never the key's text (it may carry an id). */
    String state() {
        lock.lock();
        try {
            return "admits " + reportedLimit() + " at once, " + inFlight.get() + " running, " + queue.size()
                    + " queued";
        } finally {
            lock.unlock();
        }
    }
}
