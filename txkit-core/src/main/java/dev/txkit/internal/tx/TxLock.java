package dev.txkit.internal.tx;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The lock that serializes a transaction's statements. A {@link ReentrantLock}, not
 * {@code synchronized}: a virtual thread that waits for it unmounts instead of pinning its carrier
 * while another thread's statement is on the wire. It names its holder for the message of
 * {@code rejectConcurrentUse}.
 */
final class TxLock extends ReentrantLock {
    private static final long serialVersionUID = 1L;

    /**
     * Takes the lock: waits for it (serialized use), or, when {@code reject}, only if no other thread
     * has it; false when it was refused (the caller throws its MISUSE).
     */
    boolean enter(boolean reject) {
        if (!reject) {
            lock();
            return true;
        }
        return tryLock();
    }

    Thread holder() {
        return getOwner();
    }
}
