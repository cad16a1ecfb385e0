package dev.txkit.internal.contention;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * The place one admitted attempt takes among its key's attempts in flight. It is given back once: when the
 * attempt leaves or ends, or earlier when the key writes it off as stalled (see {@link KeyLimit#writeOffStalled});
 * whichever comes first uncounts it. Thread-safe.
 */
final class Slot {
    /** The place of an attempt admitted while its key was cold: counted, never tracked nor written off. */
    static final Slot COLD = new Slot(0, false);

    private static final AtomicIntegerFieldUpdater<Slot> COUNTED =
            AtomicIntegerFieldUpdater.newUpdater(Slot.class, "counted");

    /** nanoTime it was admitted. */
    final long admittedAt;
    /** Admitted as the only one (the key was hot and it had collided often): nothing else runs beside it. */
    final boolean alone;
    private volatile int counted = 1;
    /** Written off as stalled: its hold says nothing about the key's usual one. Guarded by the key's lock. */
    boolean stalled;

    Slot(long admittedAt, boolean alone) {
        this.admittedAt = admittedAt;
        this.alone = alone;
    }

    /** Whether this call gave the place back (else it was given back before). Always true for {@link #COLD}. */
    boolean uncount() {
        return this == COLD || COUNTED.compareAndSet(this, 1, 0);
    }
}
