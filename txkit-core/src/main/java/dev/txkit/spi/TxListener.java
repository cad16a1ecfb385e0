package dev.txkit.spi;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;

import java.time.Duration;

/**
 * Receives events from txkit: the life of every attempt of a transaction, the retries between them
 * and problems that cannot be reported to the caller. Every method defaults to doing nothing, so an
 * implementation (a metrics bridge, a logger) overrides only what it needs.
 *
 * <p>For one {@code inTransaction} call the order is: {@code attemptStarted}, then either
 * {@code committed} or ({@code rolledBack} if a transaction had begun, then {@code attemptFailed},
 * then {@code retryScheduled} if it will run again) — repeated per attempt. A manual {@code begin()}
 * transaction reports only {@code committed} or {@code rolledBack}. A lost connection during COMMIT
 * reports neither: only {@code attemptFailed} with {@link ErrorCode#COMMIT_UNKNOWN}. An attempt that
 * contention control sends back at its first statement to wait for its hot row (see
 * {@code Database.contention()}) reports {@code rolledBack}, then {@code admissionWaited} and
 * {@code attemptStarted} again with the same attempt number: it is not a failure and not a new attempt.
 *
 * <p>Methods are called on the thread where the event happens and must be quick and thread-safe;
 * an exception thrown by a listener is logged and otherwise ignored.
 */
public interface TxListener {

    /**
     * An attempt is about to acquire its connection and begin.
     *
     * @param attempt the attempt
     */
    default void attemptStarted(TxAttempt attempt) {
    }

    /**
     * An attempt failed and its transaction is over. {@code code} is the failure's {@link ErrorCode}
     * when it is a {@link TxkitException}, or {@code null} when the callback threw an exception of
     * its own. {@code duration} runs from {@link #attemptStarted} to the failure.
     *
     * @param attempt the attempt that failed
     * @param code the failure's code, or {@code null} for the callback's own exception
     * @param failure the failure as thrown
     * @param duration from the start of the attempt to the failure
     */
    default void attemptFailed(TxAttempt attempt, ErrorCode code, Throwable failure, Duration duration) {
    }

    /**
     * {@code failed} will be run again as attempt {@code failed.number() + 1} after sleeping {@code delay}.
     *
     * @param failed the attempt that failed
     * @param delay the backoff txkit sleeps before the next attempt
     * @param failure why it failed
     */
    default void retryScheduled(TxAttempt failed, Duration delay, TxkitException failure) {
    }

    /**
     * A transaction committed.
     *
     * @param attempt the attempt that committed
     * @param duration from its BEGIN to the end of COMMIT
     */
    default void committed(TxAttempt attempt, Duration duration) {
    }

    /**
     * A transaction rolled back (for any reason).
     *
     * @param attempt the attempt that rolled back
     * @param duration from its BEGIN to the end of the rollback
     */
    default void rolledBack(TxAttempt attempt, Duration duration) {
    }

    /**
     * An outermost transaction run by {@code inTransaction} (or {@code idempotent}) is over, after
     * all its attempts: {@code failure} is {@code null} when {@code last} committed, else what the
     * caller receives (a {@link dev.txkit.retry.RetriesExhaustedException} when the retry policy
     * gave up). {@code duration} runs from the start of the first attempt. Joined scopes and manual
     * {@code begin()} transactions do not report this.
     *
     * @param last the last attempt
     * @param failure what the caller receives, or {@code null} when it committed
     * @param duration from the start of the first attempt to the end
     */
    default void transactionFinished(TxAttempt last, Throwable failure, Duration duration) {
    }

    /**
     * A connection was taken from the pool (for a transaction or a statement).
     *
     * @param waited how long the pool made the caller wait
     */
    default void connectionAcquired(Duration waited) {
    }

    /** An idempotent call found its key already used and returned the stored result without running the work. */
    default void idempotentReplayed() {
    }

    /**
     * Something failed that cannot be reported to the caller without misrepresenting the outcome:
     * an afterCommit hook that threw (the commit stands), or restoring connection state after a
     * transaction. {@code description} names what failed; no bound values are included.
     *
     * @param description what failed
     * @param failure the exception it failed with
     */
    default void problem(String description, Throwable failure) {
    }

    /**
     * Contention control held a transaction back before its attempt: {@code key} is its contention key
     * (the callback's class or the explicit key, or a row of the call site's that its first statement named),
     * {@code waited} how long it queued. No connection was held while waiting. Called on the waiting thread,
     * once admitted.
     *
     * @param key the contention key
     * @param waited how long the transaction queued
     */
    default void admissionWaited(Object key, Duration waited) {
    }

    /**
     * The number of transactions of {@code key} admitted at once changed from {@code previous} to
     * {@code limit}; {@link Integer#MAX_VALUE} means no limit (the key is cold: it has not collided lately).
     *
     * @param key the contention key
     * @param previous the limit until now
     * @param limit the limit from now on
     */
    default void contentionLimitChanged(Object key, int previous, int limit) {
    }

    /**
     * {@code operations} concurrent {@code Table.modify} calls on one row of {@code table} were combined
     * into one committed transaction (whose own attempt events are reported as usual, once per batch).
     *
     * @param table the table's name
     * @param operations how many calls the batch combined
     * @param duration how long the batch's transaction took
     */
    default void combined(String table, int operations, Duration duration) {
    }
}
