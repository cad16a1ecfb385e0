package dev.txkit.retry;

import dev.txkit.TxkitException;

/**
 * Thrown when a transaction failed with a retryable error and its {@link RetryPolicy} allowed no
 * further attempt (attempts or time budget used up). It carries the code, SQLSTATE and vendor code
 * of the last failure, which is its cause; the failures of the earlier attempts are attached as
 * suppressed exceptions, oldest first. The message ends with the attempt count, e.g.
 * {@code (attempt 10 of 10)}.
 *
 * <p>An enclosing retry boundary (an outer transaction around a {@code REQUIRES_NEW} one) never
 * retries this exception again, so retries do not multiply. Immutable apart from suppressed
 * exceptions; safe to share.
 */
public final class RetriesExhaustedException extends TxkitException {
    private static final long serialVersionUID = 1L;

    /** How many attempts ran before txkit gave up. */
    private final int attempts;

    /**
     * Gives up after {@code attempts}, with the reason spelled out by the caller.
     *
     * @param last     the failure of the last attempt (becomes the cause)
     * @param attempts how many attempts ran
     * @param why      the attempt count and, if it was the budget that ran out, that fact
     */
    public RetriesExhaustedException(TxkitException last, int attempts, String why) {
        super(last.code(), withoutCode(last) + " (" + why + ")", last, last.sqlState(), last.vendorCode());
        this.attempts = attempts;
    }

    /**
     * The message says that txkit gave up and why, and ends with the count, e.g.
     * {@code …; gave up after attempt 10, maxAttempts 10 (attempt 10 of 10)}.
     *
     * @param last        the failure of the last attempt (becomes the cause)
     * @param attempts    how many attempts ran
     * @param maxAttempts the policy's limit
     * @param stop        why txkit stopped before the limit (the time budget, an interrupt), or {@code null}
     *                    when the limit was reached
     */
    public RetriesExhaustedException(TxkitException last, int attempts, int maxAttempts, String stop) {
        super(last.code(), withoutCode(last) + "; gave up after attempt " + attempts
                + (stop == null ? ", maxAttempts " + maxAttempts : "") + " (attempt " + attempts + " of " + maxAttempts
                + (stop == null ? "" : "; " + stop) + ")", last, last.sqlState(), last.vendorCode());
        this.attempts = attempts;
    }

    /** {@return how many attempts ran before txkit gave up (at least 1)} */
    public int attempts() {
        return attempts;
    }

    /** {@return the failure of the last attempt, also the cause} */
    public TxkitException lastFailure() {
        return (TxkitException) getCause();
    }

    private static String withoutCode(TxkitException e) {
        return String.valueOf(e.detail());
    }
}
