package dev.txkit.internal.retry;

import dev.txkit.TxkitException;
import dev.txkit.spi.TxAttempt;

/**
 * What a caller of the retry loop adds to it per attempt, so that a variant such as
 * {@code db.optimistic} (which escalates to locking reads after a conflict) runs in the same loop as
 * {@code inTransaction}: same attempt numbers, listener events, {@code onRetry} handling and
 * {@link dev.txkit.retry.RetriesExhaustedException}. Called on the caller's thread.
 */
public interface AttemptHook {
    /** Adds nothing. */
    AttemptHook NONE = new AttemptHook() {
    };

    /** {@code failed} failed with {@code failure}, and the loop will run another attempt after its backoff. */
    default void retrying(TxAttempt failed, TxkitException failure) {
    }
}
