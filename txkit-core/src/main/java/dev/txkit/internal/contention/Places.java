package dev.txkit.internal.contention;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The places a key's attempts in flight hold: how many, which of them run alone, and — for those admitted
 * while the key was hot — which, oldest first, so one that is stuck can be written off (see
 * {@link KeyLimit#writeOffStalled}). {@code count} is atomic, so attempts of a cold key take and give back
 * places without the lock; everything else is guarded by the owning {@link KeyLimit}'s lock.
 */
final class Places {
    /**
     * An attempt in flight at least this long stops holding a place once somebody waits for it, and at least
     * {@link #STALL_FACTOR} times the key's usual hold.
     */
    static final long STALL_MIN_NANOS = 1_000_000_000L;
    static final int STALL_FACTOR = 32;
    private static final double HOLD_WEIGHT = 0.05;

    final AtomicInteger count = new AtomicInteger();
    /** Attempts admitted alone still counted; while one runs nothing else is admitted. */
    int alone;
    private final ArrayDeque<Slot> running = new ArrayDeque<>();
    /** Moving average of how long a hot attempt holds its place, in nanoseconds; written under the lock. */
    private volatile double holdNanos;

    /** Whether an attempt fits under {@code limit}. */
    boolean fit(boolean solo, int limit) {
        return alone == 0 && (solo ? count.get() == 0 : count.get() < limit);
    }

    /** Takes a tracked place (the key is hot). */
    Slot take(boolean solo) {
        count.incrementAndGet();
        if (solo) {
            alone++;
        }
        Slot slot = new Slot(System.nanoTime(), solo);
        running.addLast(slot);
        return slot;
    }

    /** Gives {@code slot}'s place back unless it was given back before; returns whether this call did. */
    boolean giveBack(Slot slot) {
        if (!slot.uncount()) {
            return false;
        }
        if (slot != Slot.COLD) {
            running.remove(slot);
            if (slot.alone) {
                alone--;
            }
        }
        count.decrementAndGet();
        return true;
    }

    /** The tracked attempt of {@code slot}, admitted at {@code admittedAt}, ended. */
    void held(Slot slot, long admittedAt) {
        if (slot == Slot.COLD || slot.stalled) {
            return;
        }
        holdNanos += HOLD_WEIGHT * ((System.nanoTime() - admittedAt) - holdNanos);
    }

    /**
     * How long an attempt may hold its place before it stops counting: {@link #STALL_FACTOR} times the usual
     * hold, at least {@link #STALL_MIN_NANOS}. Read without the lock.
     */
    long stallNanos() {
        return Math.max(STALL_MIN_NANOS, (long) (STALL_FACTOR * holdNanos));
    }

    /** Gives back the oldest tracked place if it has been held {@link #stallNanos()} by {@code now}. */
    boolean writeOffStalled(long now) {
        Slot oldest = running.peekFirst();
        if (oldest == null || now - oldest.admittedAt < stallNanos() || !giveBack(oldest)) {
            return false;
        }
        oldest.stalled = true;
        return true;
    }
}
