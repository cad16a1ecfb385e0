package dev.txkit.spi;

import dev.txkit.TxOptions;

import java.time.Duration;

/**
 * One attempt of a transaction, as reported to a {@link TxListener}. A transaction run by
 * {@code inTransaction} may take several attempts (see {@link dev.txkit.retry.RetryPolicy}); a manual
 * {@code begin()} transaction is always attempt 1 of 1.
 *
 * @param number            1-based number of this attempt
 * @param maxAttempts       the most attempts the retry policy allows
 * @param options           the options the transaction runs with
 * @param sinceFirstAttempt time from the start of attempt 1 to the start of this one (zero for attempt 1)
 *
 * <p>Immutable; thread-safe.
 */
public record TxAttempt(int number, int maxAttempts, TxOptions options, Duration sinceFirstAttempt) {

    /**
     * The only attempt of a transaction that is never retried.
     *
     * @param options the options the transaction runs with
     * @return attempt 1 of 1
     */
    public static TxAttempt single(TxOptions options) {
        return new TxAttempt(1, 1, options, Duration.ZERO);
    }

    /** {@return whether this is the last attempt the retry policy allows: none follows if it fails} */
    public boolean isLast() {
        return number >= maxAttempts;
    }
}
