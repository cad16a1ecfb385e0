package dev.txkit.spring;

import dev.txkit.Database;
import dev.txkit.TxOptions;
import dev.txkit.retry.RetryPolicy;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * The {@code txkit.*} properties: defaults of the auto-configured {@link Database}. Each default
 * here equals txkit's own, so an empty configuration behaves like {@code Database.create(dataSource)},
 * except {@code txkit.retry.max-attempts}: 5 here, 10 in {@link RetryPolicy#defaults()}.
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

    /** Properties with txkit's defaults, for Spring Boot to bind {@code txkit.*} onto. */
    public TxkitProperties() {
    }

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

        /** Retry properties with txkit's defaults. */
        public Retry() {
        }

        /** {@return {@code txkit.retry.max-attempts}: attempts in all, the first included; 1 turns retries off} */
        public int getMaxAttempts() {
            return maxAttempts;
        }

        /**
         * Sets {@code txkit.retry.max-attempts}.
         *
         * @param maxAttempts at least 1
         */
        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        /** {@return {@code txkit.retry.backoff}: the backoff cap before the first retry; it doubles with each retry} */
        public Duration getBackoff() {
            return backoff;
        }

        /**
         * Sets {@code txkit.retry.backoff}.
         *
         * @param backoff zero or positive, at most {@code max-backoff}
         */
        public void setBackoff(Duration backoff) {
            this.backoff = backoff;
        }

        /** {@return {@code txkit.retry.max-backoff}: the largest backoff between two attempts} */
        public Duration getMaxBackoff() {
            return maxBackoff;
        }

        /**
         * Sets {@code txkit.retry.max-backoff}.
         *
         * @param maxBackoff at least {@code backoff}
         */
        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
        }

        /** {@return {@code txkit.retry.budget}: the time budget over all attempts} */
        public Duration getBudget() {
            return budget;
        }

        /**
         * Sets {@code txkit.retry.budget}.
         *
         * @param budget positive
         */
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

        /** Problem-details properties with their default. */
        public ProblemDetails() {
        }

        /** {@return {@code txkit.problem-details.enabled}: whether the {@link TxkitProblemDetailsAdvice} is registered} */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Sets {@code txkit.problem-details.enabled}.
         *
         * @param enabled {@code false} to leave TxkitException to the application
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** The defaults of the Database, built from these properties. */
    TxOptions toOptions() {
        return TxOptions.defaults().withTimeout(timeout).withMaxWait(maxWait).withRetry(retry.toPolicy());
    }

    /** {@return {@code txkit.enabled}: whether txkit is auto-configured at all} */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Sets {@code txkit.enabled}.
     *
     * @param enabled {@code false} removes every txkit bean
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** {@return {@code txkit.timeout}: the wall-clock limit of a transaction started by txkit} */
    public Duration getTimeout() {
        return timeout;
    }

    /**
     * Sets {@code txkit.timeout}.
     *
     * @param timeout positive
     */
    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    /** {@return {@code txkit.max-wait}: how long to wait for a pooled connection} */
    public Duration getMaxWait() {
        return maxWait;
    }

    /**
     * Sets {@code txkit.max-wait}.
     *
     * @param maxWait positive
     */
    public void setMaxWait(Duration maxWait) {
        this.maxWait = maxWait;
    }

    /** {@return {@code txkit.strict}: whether root use inside a scope fails with MISUSE instead of joining} */
    public boolean isStrict() {
        return strict;
    }

    /**
     * Sets {@code txkit.strict}.
     *
     * @param strict {@code true} for strict mode
     */
    public void setStrict(boolean strict) {
        this.strict = strict;
    }

    /** {@return {@code txkit.show-values}: whether driver messages that may quote bound values are let through} */
    public boolean isShowValues() {
        return showValues;
    }

    /**
     * Sets {@code txkit.show-values}.
     *
     * @param showValues {@code true} for debugging only
     */
    public void setShowValues(boolean showValues) {
        this.showValues = showValues;
    }

    /** {@return {@code txkit.self-deadlock-threshold}: how long a statement may wait on a lock of a stuck transaction of this process} */
    public Duration getSelfDeadlockThreshold() {
        return selfDeadlockThreshold;
    }

    /**
     * Sets {@code txkit.self-deadlock-threshold}.
     *
     * @param selfDeadlockThreshold positive
     */
    public void setSelfDeadlockThreshold(Duration selfDeadlockThreshold) {
        this.selfDeadlockThreshold = selfDeadlockThreshold;
    }

    /** {@return {@code txkit.validate-existing-transactions}: whether Spring's transaction managers refuse incompatible participants} */
    public boolean isValidateExistingTransactions() {
        return validateExistingTransactions;
    }

    /**
     * Sets {@code txkit.validate-existing-transactions}.
     *
     * @param validateExistingTransactions {@code false} to keep Spring's lenient default
     */
    public void setValidateExistingTransactions(boolean validateExistingTransactions) {
        this.validateExistingTransactions = validateExistingTransactions;
    }

    /** {@return the {@code txkit.retry.*} properties} */
    public Retry getRetry() {
        return retry;
    }

    /** {@return the {@code txkit.problem-details.*} properties} */
    public ProblemDetails getProblemDetails() {
        return problemDetails;
    }
}
