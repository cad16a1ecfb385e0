package dev.txkit.internal.jdbc;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;

/**
 * What the self-deadlock detector learned about one open transaction from the server's lock view:
 * the last lock wait seen on it (so that its TIMEOUT names the wait instead of blaming the work),
 * and whether it cancelled, on the server, a statement of this process that the transaction blocked
 * while its threads waited (then the transaction fails with SELF_DEADLOCK instead of committing).
 * Also its deadline, so the detector can ask about a transaction close to it. Thread-safe
 * (volatile fields, written by the probe thread, read by the transaction's threads).
 */
public final class LockMarks {
    private final long deadlineNanos;
    private volatile String lockWait;
    private volatile long lockWaitNanos;
    private volatile String selfDeadlock;

    public LockMarks(long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
    }

    /** Nanoseconds left until the transaction's deadline at {@code now} (negative past it). */
    public long nanosToDeadline(long now) {
        return deadlineNanos - now;
    }

    /** A session was seen waiting for the transaction's locks. */
    public void noteLockWait(String note) {
        lockWaitNanos = System.nanoTime();
        lockWait = note;
    }

    /** The last lock wait seen, with how long ago, or null. */
    public String lockNote() {
        String note = lockWait;
        return note == null ? null
                : note + " (the server said so " + (System.nanoTime() - lockWaitNanos) / 1_000_000 + " ms before)";
    }

    /** The detector cancelled what the transaction blocked: it must not commit. */
    public void selfDeadlocked(String message) {
        selfDeadlock = message;
    }

    /** At COMMIT: the SELF_DEADLOCK that refuses it, or null. */
    public TxkitException commitRefusal(long txId) {
        String m = selfDeadlock;
        return m == null ? null : TxkitException.of(ErrorCode.SELF_DEADLOCK, "transaction " + txId
                + " was rolled back instead of committed: " + m);
    }

    /**
     * After the callback threw {@code failure}: when txkit had cancelled a statement the transaction
     * blocked (most likely what made the callback fail), the SELF_DEADLOCK to throw instead, with
     * {@code failure} as its cause; else null.
     */
    public TxkitException failureInstead(long txId, Throwable failure) {
        String m = selfDeadlock;
        if (m == null || (failure instanceof TxkitException && ((TxkitException) failure).code() == ErrorCode.SELF_DEADLOCK)) {
            return null;
        }
        return TxkitException.of(ErrorCode.SELF_DEADLOCK, "transaction " + txId + " was rolled back: " + m, failure);
    }
}
