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
 * limit (see {@link LimitLearner}); an attempt that has collided {@link ContentionControl#SOLO_AFTER} times runs
 * alone. Thread-safe: {@code hot} and {@code inFlight} are read without the lock, everything else is guarded by it.
 * An attempt stuck in flight far longer than the key's attempts usually take stops holding its place once
 * another waits (see {@link #writeOffStalled}).
 */
final class KeyLimit {
    static final int MIN = 1;
    static final int MAX = 1024;
    static final int HEAT_AFTER = 2; // collisions while cold that make a key hot

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
    /** The places of the attempts in flight. */
    final Places places = new Places();
    final AtomicInteger inFlight = places.count;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
    /** Holds the limit, which counts only while hot; guarded by the lock. */
    private final LimitLearner learner = new LimitLearner();
    private int coldCollisions;
    /** A {@link RowKey}'s: its call site's record then, which counts it among its hot rows; else null. */
    private final KeyLimit site;
    /** How many of this call site's rows are hot: while any is, its attempts name their row (see {@link Permit}). */
    final AtomicInteger hotRows = new AtomicInteger();

    KeyLimit(Object key, KeyLimit site) {
        this.key = key;
        this.site = site;
        this.limits = !(key instanceof ContentionControl.Observed);
        this.lastCollision = System.nanoTime();
    }

    /** A record admitting {@code places} at once for good: hot from the start, never cold (see {@link ContentionControl#lockingRow}). */
    static KeyLimit fixed(Object key, int places) {
        KeyLimit k = new KeyLimit(key, null);
        k.learner.fix(places);
        k.hot = true;
        return k;
    }

    /**
     * Admits an attempt now if it can start (for a {@code solo} one on a hot key: alone, nothing else runs
     * beside it) and returns its place, else {@code null}: the caller must {@link #enqueue}.
     */
    Slot tryAdmit(boolean solo) {
        if (!hot) {
            inFlight.incrementAndGet();
            return Slot.COLD;
        }
        lock.lock();
        try {
            if (!hot) {
                inFlight.incrementAndGet();
                return Slot.COLD;
            }
            return queue.isEmpty() && places.fit(solo, learner.limit()) ? places.take(solo) : null;
        } finally {
            lock.unlock();
        }
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
            if (w.admitted()) {
                return false;
            }
            queue.remove(w);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends an attempt admitted at {@code admittedAt} (nanoTime) in {@code slot} and learns from its outcome;
     * returns the limit change to report, or {@code null}.
     */
    Change release(Outcome outcome, long admittedAt, boolean left, Slot slot, boolean leftAtWrite) {
        boolean giveBack = !left && slot != Slot.COLD; // a tracked place: given back under the lock below
        if (!left && !giveBack) {
            inFlight.decrementAndGet();
        }
        if (outcome == Outcome.COLLIDED) {
            lastCollision = System.nanoTime();
        }
        if (!hot && outcome != Outcome.COLLIDED && !giveBack) {
            return null; // cold and clean: nothing to learn, no lock
        }
        lock.lock();
        try {
            if (giveBack) {
                places.giveBack(slot);
            }
            int before = reportedLimit();
            if (!hot) {
                if (outcome == Outcome.COLLIDED && ++coldCollisions >= HEAT_AFTER) {
                    heat();
                }
            } else {
                places.held(slot, admittedAt);
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
    void leave(Slot slot) {
        if (slot == Slot.COLD) {
            inFlight.decrementAndGet();
            if (!hot) {
                return;
            }
        }
        lock.lock();
        try {
            if (slot != Slot.COLD) {
                places.giveBack(slot); // unless it was written off as stalled before
            }
            if (hot) {
                admitWhatFits();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes off the oldest attempt in flight if it has held its place {@link Places#stallNanos()} or longer, so the
     * next one waiting is let in: admission holds transactions back so they stop colliding, and one that is
     * stuck (its database node frozen, its connection hanging, its callback waiting on something else) must
     * not make every later transaction of the key wait out its timeout behind it, which without admission
     * they would not. It runs on and ends as usual; it no longer counts in flight. Returns whether one was.
     */
    boolean writeOffStalled(long now) {
        if (!hot) {
            return false;
        }
        lock.lock();
        try {
            if (!places.writeOffStalled(now)) {
                return false;
            }
            admitWhatFits();
            return true;
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
        if (site != null) {
            site.hotRows.incrementAndGet();
        }
        // Those running now collided with each other: start at half of them.
        learner.start(Math.max(MIN, Math.min(MAX, (inFlight.get() + 1) / 2)));
    }

    private void learn(Outcome outcome, long admittedAt, boolean leftAtWrite) {
        // more wanted to run than the limit let (not: waited behind one that runs alone)
        boolean demand = inFlight.get() + 1 >= learner.limit()
                || (!queue.isEmpty() && places.alone == 0 && !queue.peekFirst().solo);
        if (leftAtWrite) {
            learner.leftAtWrite(outcome == Outcome.COLLIDED);
        }
        if (!learner.learn(outcome, demand, !queue.isEmpty(), admittedAt)) {
            hot = false; // nobody waited for a whole run of clean commits: the limit no longer matters
            if (site != null) {
                site.hotRows.decrementAndGet();
            }
        }
    }

    /** Admits queued transactions while places are free (all of them once the key is cold). Under the lock. */
    private void admitWhatFits() {
        while (!queue.isEmpty() && (!hot || places.fit(queue.peekFirst().solo, learner.limit()))) {
            Waiter w = queue.pollFirst();
            if (hot) {
                w.slot = places.take(w.solo);
            } else {
                inFlight.incrementAndGet();
                w.slot = Slot.COLD;
            }
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
            return (!hot || learner.fixed()) && inFlight.get() == 0 && queue.isEmpty() && hotRows.get() == 0;
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
}
