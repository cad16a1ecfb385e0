package dev.txkit.spring;

import dev.txkit.Database;
import dev.txkit.TxOptions;
import dev.txkit.retry.RetryPolicy;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * The {@code txkit.*} properties: defaults of the auto-configured {@link Database}. Each default
 * here equals txkit's own, so an empty configuration behaves like {@code Database.create(dataSource)}.
 * Bound by Spring Boot at startup; not meant to be changed afterwards.
 */
@ConfigurationProperties(prefix = "txkit")
public final class TxkitProperties {
    /** Whether to auto-configure txkit at all; false removes every txkit bean. */
    private boolean enabled = true;
    /** Wall-clock limit of a transaction started by txkit, from its start (TIMEOUT after it). */
    private Duration timeout = Duration.ofSeconds(5);
    /** How long to wait for a pooled connection (ACQUIRE_TIMEOUT after it; exact per call with HikariCP). */
    private Duration maxWait = Duration.ofSeconds(2);
    /** Root use inside a scope (db.sql, REQUIRED) fails with MISUSE instead of joining. */
    private boolean strict;
    /** Let driver messages that may quote bound values through (debugging only). */
    private boolean showValues;
    /** How long a statement may wait on a lock held by a stuck transaction of this process before SELF_DEADLOCK. */
    private Duration selfDeadlockThreshold = Duration.ofMillis(200);
    /**
     * Make Spring's transaction managers refuse to join a transaction with another isolation level
     * or a read-only participant in a read-write transaction (Spring's validateExistingTransaction),
     * as txkit does with MISUSE.
     */
    private boolean validateExistingTransactions = true;
    private final Retry retry = new Retry();
    private final ProblemDetails problemDetails = new ProblemDetails();

    /** Retries of write conflicts, deadlocks and lock timeouts at the outermost transaction. */
    public static final class Retry {
        /** Attempts in all, the first included; 1 turns retries off. */
        private int maxAttempts = 5;
        /** Backoff before the first retry (full jitter: a random sleep up to this, doubling each retry). */
        private Duration backoff = Duration.ofMillis(10);
        /** The largest backoff between two attempts. */
        private Duration maxBackoff = Duration.ofSeconds(1);
        /** Time budget over all attempts; no retry starts whose backoff would end after it. */
        private Duration budget = Duration.ofSeconds(10);

        public int getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public Duration getBackoff() {
            return backoff;
        }

        public void setBackoff(Duration backoff) {
            this.backoff = backoff;
        }

        public Duration getMaxBackoff() {
            return maxBackoff;
        }

        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
        }

        public Duration getBudget() {
            return budget;
        }

        public void setBudget(Duration budget) {
            this.budget = budget;
        }

        RetryPolicy toPolicy() {
            return maxAttempts == 1 ? RetryPolicy.none() : RetryPolicy.builder().maxAttempts(maxAttempts)
                    .backoff(backoff, maxBackoff).maxDuration(budget).build();
        }
    }

    /** The RFC 9457 answer to a TxkitException that reaches a web controller. */
    public static final class ProblemDetails {
        /** Whether to register the @RestControllerAdvice that maps TxkitException to ProblemDetail. */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** The defaults of the Database, built from these properties. */
    TxOptions toOptions() {
        return TxOptions.defaults().withTimeout(timeout).withMaxWait(maxWait).withRetry(retry.toPolicy());
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Duration getTimeout() {
        return timeout;
    }

    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    public Duration getMaxWait() {
        return maxWait;
    }

    public void setMaxWait(Duration maxWait) {
        this.maxWait = maxWait;
    }

    public boolean isStrict() {
        return strict;
    }

    public void setStrict(boolean strict) {
        this.strict = strict;
    }

    public boolean isShowValues() {
        return showValues;
    }

    public void setShowValues(boolean showValues) {
        this.showValues = showValues;
    }

    public Duration getSelfDeadlockThreshold() {
        return selfDeadlockThreshold;
    }

    public void setSelfDeadlockThreshold(Duration selfDeadlockThreshold) {
        this.selfDeadlockThreshold = selfDeadlockThreshold;
    }

    public boolean isValidateExistingTransactions() {
        return validateExistingTransactions;
    }

    public void setValidateExistingTransactions(boolean validateExistingTransactions) {
        this.validateExistingTransactions = validateExistingTransactions;
    }

    public Retry getRetry() {
        return retry;
    }

    public ProblemDetails getProblemDetails() {
        return problemDetails;
    }
}
