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
 * <p>The limit is the concurrency that commits the most, learnt from the collisions seen at the current
 * limit (see {@link LimitLearner}); an attempt that has collided {@link ContentionControl#SOLO_AFTER} times
 * runs alone.
 * Thread-safe: {@code hot} and {@code inFlight} are read without the lock, everything else is guarded by it.
 */
final class KeyLimit {
    static final int MIN = 1;
    static final int MAX = 1024;
    /** Collisions while cold that make a key hot. */
    static final int HEAT_AFTER = 2;

    /** A transaction waiting for admission; {@code admitted} is set (with its place counted) by a releaser. */
    static final class Waiter {
        final Thread thread = Thread.currentThread();
        /** It has collided often: it runs only with nothing else of the key in flight. */
        final boolean solo;
        /** Set with {@code admitted}: it was admitted as the only one (the key was hot). */
        volatile boolean alone;
        volatile boolean admitted;

        Waiter(boolean solo) {
            this.solo = solo;
        }
    }

    /** {@link #tryAdmit} results. */
    static final int NO = 0, YES = 1, ALONE = 2;

    /** Changes a release or an admission made, reported by the caller after the lock is let go. */
    record Change(int previous, int limit) { }

    final Object key;
    /** {@code false}: only watched (collisions timed), never limited — see {@link ContentionControl.Observed}. */
    private final boolean limits;
    volatile boolean hot;
    /** nanoTime of the latest collision. */
    volatile long lastCollision;
    /** nanoTime of the latest {@link ContentionControl#contendedWithin} yes given while others ran. */
    volatile long lastOverlap;
    final AtomicInteger inFlight = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
    /** Holds the limit, which counts only while hot; guarded by the lock. */
    private final LimitLearner learner = new LimitLearner();
    /** Attempts admitted {@link #ALONE} still in flight; while one runs nothing else is admitted. */
    private int alone;
    private int coldCollisions;

    KeyLimit(Object key) {
        this.key = key;
        this.limits = !(key instanceof ContentionControl.Observed);
        this.lastCollision = System.nanoTime();
    }

    /**
     * Admits an attempt now if it can start ({@link #YES}, or {@link #ALONE} for a {@code solo} one on a hot
     * key: nothing else runs beside it), else {@link #NO}: the caller must {@link #enqueue}.
     */
    int tryAdmit(boolean solo) {
        if (!hot) {
            inFlight.incrementAndGet();
            return YES;
        }
        lock.lock();
        try {
            if (!hot) {
                inFlight.incrementAndGet();
                return YES;
            }
            return queue.isEmpty() && fits(solo) ? count(solo) : NO;
        } finally {
            lock.unlock();
        }
    }

    /** Whether an attempt fits now. Hot, under the lock. */
    private boolean fits(boolean solo) {
        return alone == 0 && (solo ? inFlight.get() == 0 : inFlight.get() < learner.limit());
    }

    private int count(boolean solo) {
        inFlight.incrementAndGet();
        if (solo) {
            alone++;
            return ALONE;
        }
        return YES;
    }

    /**
     * Queues the current thread; a retried attempt goes to the front, since it has waited longest. Admission
     * may already be possible (the limit rose meanwhile), so this admits what fits before returning.
     */
    Waiter enqueue(boolean retry, boolean solo) {
        Waiter w = new Waiter(solo);
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
    Change release(Outcome outcome, long admittedAt, boolean left, boolean ranAlone, boolean leftAtWrite) {
        if (!left) {
            leaveOnly(ranAlone);
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
                learn(outcome, admittedAt, leftAtWrite);
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
    void leave(boolean ranAlone) {
        leaveOnly(ranAlone);
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

    private void leaveOnly(boolean ranAlone) {
        if (ranAlone) {
            lock.lock();
            try {
                alone--;
            } finally {
                lock.unlock();
            }
        }
        inFlight.decrementAndGet();
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
        // Those running now collided with each other: start at half of them.
        learner.start(Math.max(MIN, Math.min(MAX, (inFlight.get() + 1) / 2)));
    }

    private void learn(Outcome outcome, long admittedAt, boolean leftAtWrite) {
        // more wanted to run than the limit let (not: waited behind one that runs alone)
        boolean demand = inFlight.get() + 1 >= learner.limit()
                || (!queue.isEmpty() && alone == 0 && !queue.peekFirst().solo);
        if (leftAtWrite) {
            learner.leftAtWrite(outcome == Outcome.COLLIDED);
        }
        if (!learner.learn(outcome, demand, !queue.isEmpty(), admittedAt)) {
            hot = false; // nobody waited for a whole run of clean commits: the limit no longer matters
        }
    }

    /** Admits queued transactions while places are free (all of them once the key is cold). Under the lock. */
    private void admitWhatFits() {
        while (!queue.isEmpty() && (!hot || fits(queue.peekFirst().solo))) {
            Waiter w = queue.pollFirst();
            if (hot) {
                w.alone = count(w.solo) == ALONE;
            } else {
                inFlight.incrementAndGet();
            }
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

    /** Hot, admitting one at a time, and leaving at the first write works (benign races: read without the lock). */
    boolean single() {
        return hot && learner.limit() == MIN && learner.leavingAtWriteWorks();
    }

    private int reportedLimit() {
        return hot ? learner.limit() : Integer.MAX_VALUE;
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
            return new KeyContention(key, hot, reportedLimit(), inFlight.get(), queue.size(),
                    learner.conflictRate(), learner.attempts(), learner.conflicts());
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
