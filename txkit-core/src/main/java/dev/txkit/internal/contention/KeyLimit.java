package dev.txkit.internal.contention;

import dev.txkit.KeyContention;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The admission state of one contention key: a limit on attempts in flight, learnt from their outcomes,
 * and the FIFO of transactions waiting for a free place. A record exists only once the key has collided;
 * until it collides a second time (and again after a long clean run) it is <em>cold</em> and only counts
 * attempts in flight, so admission is one volatile read and one atomic increment.
 *
 * <p>The limit is the concurrency that commits the most, estimated from the collision rate seen at the
 * current limit. If each of the other attempts in flight collides with a given one independently with
 * probability q, then at k in flight a share p = 1 − (1 − q)<sup>k−1</sup> collides and k · (1 − q)<sup>k−1</sup>
 * commit per attempt time, which is greatest at k ≈ 1/q. So the limit k holds while p stays between
 * {@link LimitLearner#raiseBelow} and {@link LimitLearner#lowerAbove}, falls to about 1/q̂ when p is above (a single hot row:
 * q near ½, k = 1), and rises towards it when p is below (many rows under one key, as for transfers
 * between accounts: q small, k several). Both bounds lean {@link LimitLearner#LEAN} towards fewer, since a wasted
 * attempt costs the database work the model leaves out. Only attempts admitted since the limit last
 * changed count towards a decision, over a window of {@link LimitLearner#window} attempts (a clear excess decides
 * earlier). At 1 nothing collides by this model, so the limit probes 2 after a window of clean commits;
 * each probe that fails doubles that window (up to {@link LimitLearner#MAX_BACKOFF} doublings), one that holds resets it.
 * Thread-safe: {@code hot} and {@code inFlight} are read without the lock, everything else is guarded by it.
 */
final class KeyLimit {
    static final int MIN = 1;
    static final int MAX = 1024;
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
    /** The limit while hot; guarded by the lock. */
    private final LimitLearner learner = new LimitLearner();
    private int limit = MAX;
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
            if (!hot || (queue.isEmpty() && inFlight.get() < limit)) {
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
    Change release(Outcome outcome, long admittedAt, boolean left) {
        if (!left) {
            inFlight.decrementAndGet();
        }
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

    /**
     * Gives up an attempt's place before its outcome is known (its COMMIT is on the way and holds no
     * lock the next one would collide on); {@link #release} learns from the outcome later.
     */
    void leave() {
        inFlight.decrementAndGet();
        if (!hot) {
            return;
        }
        lock.lock();
        try {
            admitWhatFits();
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
        limit = learner.start(Math.max(MIN, Math.min(MAX, (inFlight.get() + 1) / 2)));
    }

    private void learn(Outcome outcome, long admittedAt) {
        attempts++;
        boolean collided = outcome == Outcome.COLLIDED;
        if (collided) {
            conflicts++;
            conflictRate += RATE_WEIGHT * (1 - conflictRate);
            clean = 0;
            queuedDuringRun = false;
        } else {
            conflictRate -= RATE_WEIGHT * conflictRate;
        }
        if (!collided && outcome != Outcome.COMMITTED) {
            return; // the callback's own failure, a timeout: says nothing about collisions
        }
        boolean demand = !queue.isEmpty() || inFlight.get() + 1 >= limit;
        limit = learner.observe(collided, demand, admittedAt);
        if (collided) {
            return;
        }
        if (!queue.isEmpty()) {
            queuedDuringRun = true;
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
        while (!queue.isEmpty() && (!hot || inFlight.get() < limit)) {
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
        return hot ? limit : Integer.MAX_VALUE;
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
