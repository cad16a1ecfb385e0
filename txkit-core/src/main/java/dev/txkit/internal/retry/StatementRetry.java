package dev.txkit.internal.retry;

import dev.txkit.ErrorCode;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.retry.RetryPolicy;

import java.util.EnumSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Retries one autocommit statement ({@code db.sql(...)} outside a transaction) under the
 * database's default policy. A statement that lost a conflict, a deadlock or a lock wait was
 * rolled back by the server, so running it again is safe — this is what makes a Galera
 * certification failure of an autocommit write invisible to the caller. A connection lost
 * mid-statement is never retried here: in autocommit the statement may have committed.
 *
 * <p>Stateless; thread-safe.
 */
public final class StatementRetry {
    private StatementRetry() {
    }

    /** The options an autocommit statement is retried with: the defaults' policy minus connection failures. */
    public static TxOptions optionsFor(TxOptions defaults) {
        RetryPolicy policy = defaults.retry();
        Set<ErrorCode> codes = EnumSet.noneOf(ErrorCode.class);
        codes.addAll(policy.retryOn());
        codes.remove(ErrorCode.CONNECTION_FAILURE);
        if (policy.maxAttempts() == 1 || codes.isEmpty()) {
            return defaults.withRetry(RetryPolicy.none());
        }
        return defaults.withRetry(policy.toBuilder().retryOn(codes).build());
    }

    /** Runs {@code statement} once, or as often as {@code options} (from {@link #optionsFor}) allow. */
    public static <T> T run(TxOptions options, RetryLoop.Observer observer, Supplier<T> statement) {
        if (options.retry().maxAttempts() == 1) {
            return statement.get();
        }
        return new RetryLoop(options, RetryLoop.SYSTEM, observer).<T, TxkitException>run(attempt -> statement.get());
    }
}
