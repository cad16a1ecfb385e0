package dev.txkit.internal.contention;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;

/** How an attempt ended, as far as contention control cares. */
enum Outcome {
    COMMITTED,
    /** A write conflict, deadlock, lock timeout or lost optimistic check: it ran into another transaction. */
    COLLIDED,
    /** Anything else (the callback's own exception, a timeout): no signal about collisions. */
    OTHER;

    static Outcome of(Throwable failure) {
        if (!(failure instanceof TxkitException)) {
            return OTHER;
        }
        TxkitException e = (TxkitException) failure;
        // a conflict the callback caught surfaces as CLOSED; what ended the transaction is its cause
        if (e.code() == ErrorCode.CLOSED && e.getCause() instanceof TxkitException) {
            e = (TxkitException) e.getCause();
        }
        switch (e.code()) {
            case CONFLICT:
            case DEADLOCK:
            case LOCK_TIMEOUT:
            case OPTIMISTIC_CONFLICT:
                return COLLIDED;
            default:
                return OTHER;
        }
    }
}
