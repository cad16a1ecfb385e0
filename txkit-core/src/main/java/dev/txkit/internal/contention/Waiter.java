package dev.txkit.internal.contention;

/** A transaction waiting for admission to a hot key; {@code slot} is set (with its place counted) by a releaser. */
final class Waiter {
    final Thread thread = Thread.currentThread();
    /** It has collided often: it runs only with nothing else of the key in flight. */
    final boolean solo;
    /** Its place once admitted; {@code null} while it waits. */
    volatile Slot slot;

    Waiter(boolean solo) {
        this.solo = solo;
    }

    boolean admitted() {
        return slot != null;
    }
}
