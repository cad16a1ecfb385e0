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

    /** Takes the lock: waits for it (serialized use), or, when {@code reject}, refuses if another thread has it. */
    void enter(boolean reject, java.util.function.Supplier<? extends RuntimeException> refusal) {
        if (!reject) {
            lock();
        } else if (!tryLock()) {
            throw refusal.get();
        }
    }

    Thread holder() {
        return getOwner();
    }
}
