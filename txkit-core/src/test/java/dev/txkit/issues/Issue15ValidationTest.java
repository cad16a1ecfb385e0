package dev.txkit.issues;

import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.IdempotencyKey;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.retry.RetryPolicy;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 15, items 1–3 (pure validation): extreme durations are refused up front with
 * INVALID_ARGUMENT naming the value and the rule, never an ArithmeticException later, and
 * {@code retryOn(Set.of(...))} works.
 */
class Issue15ValidationTest {
    private static final Duration FOREVER = ChronoUnit.FOREVER.getDuration();
    private static final Duration MILLENNIUM = Duration.ofDays(365_000);
    private static final Duration MOST_NEGATIVE = Duration.ofSeconds(Long.MIN_VALUE);

    private static void invalid(ThrowingCallable call, String name) {
        assertThatThrownBy(call).isInstanceOfSatisfying(TxkitException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(e.getMessage()).contains(name);
        });
    }

    @Test
    void transactionTimeoutAndMaxWaitRefuseValuesPastTheLimitAndNameTheRule() {
        for (Duration d : new Duration[]{FOREVER, MILLENNIUM, Duration.ofDays(366)}) {
            invalid(() -> TxOptions.defaults().withTimeout(d), "timeout must be at most 365 days");
            invalid(() -> TxOptions.defaults().withMaxWait(d), "maxWait must be at most 365 days");
        }
        invalid(() -> TxOptions.defaults().withTimeout(MOST_NEGATIVE), "timeout must be positive");
        invalid(() -> TxOptions.defaults().withTimeout(FOREVER), FOREVER.toString());
        assertThat(TxOptions.defaults().withTimeout(Duration.ofDays(365)).timeout()).isEqualTo(Duration.ofDays(365));
        assertThat(TxOptions.defaults().withMaxWait(Duration.ofDays(365)).toString()).contains("maxWait=31536000000ms");
    }

    @Test
    void retryBackoffAndBudgetRefuseValuesPastTheLimit() {
        invalid(() -> RetryPolicy.builder().backoff(Duration.ofMillis(10), FOREVER), "backoff cap must be at most");
        invalid(() -> RetryPolicy.builder().backoff(FOREVER, FOREVER), "backoff base must be at most");
        invalid(() -> RetryPolicy.builder().backoff(MOST_NEGATIVE, Duration.ZERO), "backoff base must be zero or positive");
        invalid(() -> RetryPolicy.builder().maxDuration(FOREVER), "maxDuration must be at most 365 days");
        invalid(() -> RetryPolicy.builder().maxDuration(Duration.ZERO), "maxDuration must be positive");
        RetryPolicy longest = RetryPolicy.builder().backoff(Duration.ofDays(365), Duration.ofDays(365))
                .maxDuration(Duration.ofDays(365)).build();
        assertThat(longest.delayCap(40)).isEqualTo(Duration.ofDays(365)); // exponent saturates, no overflow
    }

    @Test
    void selfDeadlockThresholdRefusesValuesPastTheLimit() {
        Database.Builder b = Database.builder(new org.h2.jdbcx.JdbcDataSource());
        invalid(() -> b.selfDeadlockThreshold(FOREVER), "selfDeadlockThreshold must be at most 365 days");
        invalid(() -> b.selfDeadlockThreshold(Duration.ZERO), "selfDeadlockThreshold must be positive");
    }

    @Test
    void idempotencyTtlRefusesValuesWhoseExpiryWouldWrapAround() {
        IdempotencyKey key = IdempotencyKey.of("k");
        invalid(() -> key.withTtl(Duration.ofMillis(Long.MAX_VALUE)), "ttl must be at most 36500 days");
        invalid(() -> key.withTtl(FOREVER), "ttl must be at most");
        invalid(() -> key.withTtl(MOST_NEGATIVE), "ttl must be positive");
        assertThat(key.withTtl(IdempotencyKey.MAX_TTL).ttl()).isEqualTo(IdempotencyKey.MAX_TTL);
    }

    @Test
    void retryOnAcceptsImmutableSetsAndRefusesCommitUnknownAndNullWithInvalidArgument() {
        assertThat(RetryPolicy.builder().retryOn(Set.of(ErrorCode.CONFLICT)).build().retryOn())
                .containsExactly(ErrorCode.CONFLICT);
        assertThat(RetryPolicy.builder().retryOn(Set.of(ErrorCode.CONFLICT, ErrorCode.DEADLOCK)).build().retryOn())
                .containsExactlyInAnyOrder(ErrorCode.CONFLICT, ErrorCode.DEADLOCK);
        invalid(() -> RetryPolicy.builder().retryOn(Set.of(ErrorCode.COMMIT_UNKNOWN)), "COMMIT_UNKNOWN cannot be retried");
        Set<ErrorCode> withNull = new HashSet<>(EnumSet.of(ErrorCode.CONFLICT));
        withNull.add(null);
        invalid(() -> RetryPolicy.builder().retryOn(withNull), "no null");
        invalid(() -> RetryPolicy.builder().retryOn(Set.of()), "at least one error code");
    }
}
