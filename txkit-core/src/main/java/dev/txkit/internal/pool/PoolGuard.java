package dev.txkit.internal.pool;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Fails a connection request at once with {@link ErrorCode#POOL_EXHAUSTED} when waiting could only
 * end by a timeout, instead of waiting out {@code maxWait} blind.
 *
 * <p>The rule: a thread that already holds connections (open txkit transactions it owns, or
 * connections it borrowed through {@code db.dataSource()}) and asks for one more is failed when the
 * pool is at its maximum size with nothing idle <em>and every active connection is held by a thread
 * that is itself waiting here for another connection</em>. Then no connection can come back: each
 * holder waits for a connection that only another waiting holder could return (N threads each
 * holding one of N connections and each asking for a second is the classic case; pool size 1 and
 * one REQUIRES_NEW is the smallest). Ordinary contention is never failed: if any active connection
 * is held by a thread that is running (a statement, a short transaction), or by code txkit does not
 * know about, it may come back soon, and the request keeps waiting up to {@code maxWait}. Threads
 * that hold nothing are never failed and wait exactly as before.
 *
 * <p>To notice a knot that forms after it started waiting, a holding thread waits in slices of
 * {@value #SLICE_MILLIS} ms and re-checks between them (HikariCP counts each slice as a timeout in
 * its metrics). When the knot is found, only one waiter is failed per {@value #VICTIM_GRACE_MILLIS}
 * ms: its transaction rolls back and returns its connection, which lets the others go on.
 * The rule needs the pool's counters, so it is active for HikariCP pools only. Thread-safe.
 */
public final class PoolGuard {
    static final long SLICE_MILLIS = 25;
    static final long VICTIM_GRACE_MILLIS = 100;
    private final ConnectionSource source;
    private final Registry registry;
    private final Set<Thread> waiting = ConcurrentHashMap.newKeySet();
    private long lastVictimNanos;

    public PoolGuard(ConnectionSource source, Registry registry) {
        this.source = source;
        this.registry = registry;
        this.lastVictimNanos = System.nanoTime() - 2 * TimeUnit.MILLISECONDS.toNanos(VICTIM_GRACE_MILLIS);
    }

    /** A pooled connection, failing fast with POOL_EXHAUSTED when waiting could never end. */
    public Connection acquire(Duration maxWait) {
        Thread me = Thread.currentThread();
        // cheapest first: a pool that does not tell its size never needs the walk over the open transactions
        if (source.maxSize() <= 0 || registry.heldBy(me) == 0 || source.idle() < 0) {
            return source.get(maxWait);
        }
        long start = System.nanoTime();
        long deadline = start + maxWait.toNanos();
        waiting.add(me);
        try {
            while (true) {
                checkKnot(me, start, maxWait);
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw ConnectionSource.acquireTimeout(maxWait.toMillis(), maxWait, source.state(), null);
                }
                long slice = Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(SLICE_MILLIS));
                try {
                    return source.get(Duration.ofNanos(Math.max(slice, TimeUnit.MILLISECONDS.toNanos(1))));
                } catch (TxkitException e) {
                    if (e.code() != ErrorCode.ACQUIRE_TIMEOUT) {
                        throw e;
                    }
                }
            }
        } finally {
            waiting.remove(me);
        }
    }

    private synchronized void checkKnot(Thread me, long start, Duration maxWait) {
        int max = source.maxSize();
        int active = source.active();
        if (active < max || source.idle() > 0) {
            return; // the pool can hand one out or open one
        }
        if (System.nanoTime() - lastVictimNanos < TimeUnit.MILLISECONDS.toNanos(VICTIM_GRACE_MILLIS)) {
            return; // a waiter was just failed; its connection is on the way back
        }
        Map<Thread, Integer> held = registry.holders();
        int heldByWaiters = 0;
        List<String> names = new ArrayList<>();
        for (Thread t : waiting) {
            int n = held.getOrDefault(t, 0);
            if (n > 0) {
                heldByWaiters += n;
                names.add("'" + t.getName() + "' (" + n + ")");
            }
        }
        if (heldByWaiters < active) {
            return; // someone who is not waiting holds a connection: it may come back
        }
        lastVictimNanos = System.nanoTime();
        int mine = held.getOrDefault(me, 0);
        throw TxkitException.of(ErrorCode.POOL_EXHAUSTED, "thread '" + me.getName() + "' already holds " + mine
                + " connection" + (mine == 1 ? "" : "s") + " of this pool" + describeOwn(me)
                + " and asked for one more, but the pool cannot supply it: it is at its maximum size " + max
                + " with " + active + " active and 0 idle, and every active connection is held by a thread that is"
                + " itself waiting for another one (" + String.join(", ", names) + "), so none would ever come back;"
                + " waiting out maxWait (" + maxWait.toMillis() + " ms) could not help. Gave up after "
                + (System.nanoTime() - start) / 1_000_000 + " ms; pool " + source.state() + ". Fix: inside a"
                + " transaction use it instead of a second connection (db.sql, db.inTransaction with REQUIRED and"
                + " db.dataSource() join it; avoid REQUIRES_NEW while holding a connection), or make the pool"
                + " larger than the number of threads that need two connections at once");
    }

    private String describeOwn(Thread me) {
        String ids = registry.transactionsOf(me);
        return ids.isEmpty() ? "" : " (transaction " + ids + ")";
    }
}
