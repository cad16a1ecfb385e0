package dev.txkit.internal;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The lock that serializes a transaction's statements. A {@link ReentrantLock}, not
 * {@code synchronized}: a virtual thread that waits for it unmounts instead of pinning its carrier
 * while another thread's statement is on the wire. It names its holder for the message of
 * {@code rejectConcurrentUse}.
 */
final class TxLock extends ReentrantLock {
    private static final long serialVersionUID = 1L;

    Thread holder() {
        return getOwner();
    }
}
