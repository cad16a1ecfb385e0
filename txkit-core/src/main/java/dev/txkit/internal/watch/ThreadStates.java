package dev.txkit.internal.watch;

import java.util.concurrent.locks.LockSupport;

/** How the self-deadlock detector reads what a thread is doing. Stateless. */
final class ThreadStates {
    private ThreadStates() {
    }

    /**
     * Whether {@code t} waits for something another thread must do: blocked on a monitor, parked on
     * a {@code java.util.concurrent} synchronizer (a future, a latch, a lock, a queue — they leave a
     * blocker), or in an untimed {@code Object.wait}/{@code join} on a platform thread. A timed wait
     * without a blocker is {@code Thread.sleep} (or a timed {@code Object.wait}) and ends by itself;
     * a virtual thread parked without a blocker is in I/O or asleep. Neither counts, so that a
     * transaction whose owner merely sleeps or calls another service is never taken for stuck.
     */
    static boolean waitsForAnotherThread(Thread t) {
        Thread.State state = t.getState();
        if (state == Thread.State.BLOCKED) {
            return true;
        }
        if (state != Thread.State.WAITING && state != Thread.State.TIMED_WAITING) {
            return false;
        }
        if (LockSupport.getBlocker(t) != null) {
            return true;
        }
        return state == Thread.State.WAITING && !isVirtual(t);
    }

    /** {@code Thread.isVirtual()} without needing Java 21 to compile. */
    static boolean isVirtual(Thread t) {
        return t.getClass().getName().equals("java.lang.VirtualThread");
    }

    /** E.g. {@code WAITING on FutureTask}, for messages. */
    static String describe(Thread t) {
        Object blocker = LockSupport.getBlocker(t);
        return t.getState() + (blocker == null ? "" : " on " + blocker.getClass().getSimpleName());
    }
}
