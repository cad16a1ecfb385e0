package dev.txkit.retry;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Backoff arithmetic, defaults and builder validation of {@link RetryPolicy}. */
class RetryPolicyTest {

    private static TxkitException failure(ErrorCode code) {
        return TxkitException.of(code, "test failure");
    }

    @Test
    void defaultsAreTheDocumentedValues() {
        RetryPolicy p = RetryPolicy.defaults();
        assertThat(p.maxAttempts()).isEqualTo(10);
        assertThat(p.baseDelay()).isEqualTo(Duration.ofMillis(10));
        assertThat(p.maxDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.jitter()).isTrue();
        assertThat(p.maxDuration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(p.retryOn()).containsExactlyInAnyOrder(ErrorCode.CONFLICT, ErrorCode.DEADLOCK, ErrorCode.LOCK_TIMEOUT,
                ErrorCode.CONNECTION_FAILURE);
        assertThat(RetryPolicy.none().maxAttempts()).isEqualTo(1);
    }

    @Test
    void delayCapDoublesFromTheBaseUntilTheCap() {
        RetryPolicy p = RetryPolicy.defaults();
        long[] expectedMillis = {10, 20, 40, 80, 160, 320, 640, 1000, 1000, 1000};
        for (int retry = 1; retry <= expectedMillis.length; retry++) {
            assertThat(p.delayCap(retry)).as("retry " + retry).isEqualTo(Duration.ofMillis(expectedMillis[retry - 1]));
        }
    }

    @Test
    void delayCapNeverOverflowsForHugeRetryNumbersOrBases() {
        RetryPolicy p = RetryPolicy.defaults();
        assertThat(p.delayCap(64)).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.delayCap(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(1));
        RetryPolicy huge = RetryPolicy.builder().backoff(Duration.ofDays(36), Duration.ofDays(365)).build();
        assertThat(huge.delayCap(1)).isEqualTo(Duration.ofDays(36));
        assertThat(huge.delayCap(4)).isEqualTo(Duration.ofDays(288));
        assertThat(huge.delayCap(5)).isEqualTo(Duration.ofDays(365));
        assertThat(huge.delayCap(1000)).isEqualTo(Duration.ofDays(365));
        assertThat(huge.delay(1000)).isBetween(Duration.ZERO, Duration.ofDays(365));
    }

    @Test
    void fullJitterStaysWithinZeroAndTheCapAndSpreadsOverIt() {
        RetryPolicy p = RetryPolicy.defaults();
        for (int retry = 1; retry <= 8; retry++) {
            Duration cap = p.delayCap(retry);
            Set<Long> seen = new HashSet<>();
            long below = 0;
            for (int i = 0; i < 2000; i++) {
                Duration d = p.delay(retry);
                assertThat(d).isBetween(Duration.ZERO, cap);
                seen.add(d.toNanos());
                if (d.toNanos() < cap.toNanos() / 2) {
                    below++;
                }
            }
            assertThat(seen).as("jitter must spread delays, retry " + retry).hasSizeGreaterThan(1000);
            // uniform on [0, cap]: about half below the midpoint (bounds are > 10 sigma wide)
            assertThat(below).as("retry " + retry).isBetween(700L, 1300L);
        }
    }

    @Test
    void withoutJitterTheDelayIsExactlyTheCap() {
        RetryPolicy p = RetryPolicy.builder().jitter(false).build();
        assertThat(p.delay(1)).isEqualTo(Duration.ofMillis(10));
        assertThat(p.delay(3)).isEqualTo(Duration.ofMillis(40));
        RetryPolicy immediate = RetryPolicy.builder().backoff(Duration.ZERO, Duration.ZERO).build();
        assertThat(immediate.delay(7)).isEqualTo(Duration.ZERO);
    }

    @Test
    void shouldRetryHonoursCodesAttemptsAndTheAbortPredicate() {
        RetryPolicy p = RetryPolicy.builder().maxAttempts(3)
                .abortIf(e -> e.getMessage().contains("fatal")).build();
        assertThat(p.shouldRetry(failure(ErrorCode.CONFLICT), 1)).isTrue();
        assertThat(p.shouldRetry(failure(ErrorCode.DEADLOCK), 2)).isTrue();
        assertThat(p.shouldRetry(failure(ErrorCode.CONFLICT), 3)).as("attempts used up").isFalse();
        assertThat(p.shouldRetry(failure(ErrorCode.UNIQUE_VIOLATION), 1)).isFalse();
        assertThat(p.shouldRetry(failure(ErrorCode.TIMEOUT), 1)).isFalse();
        assertThat(p.shouldRetry(failure(ErrorCode.COMMIT_UNKNOWN), 1)).isFalse();
        assertThat(p.shouldRetry(TxkitException.of(ErrorCode.CONFLICT, "fatal"), 1)).isFalse();
        assertThat(p.retries(failure(ErrorCode.LOCK_TIMEOUT))).isTrue();
        assertThat(p.retries(null)).isFalse();
    }

    @Test
    void builderRejectsBadValuesNamingThem() {
        assertInvalid(() -> RetryPolicy.builder().maxAttempts(0), "maxAttempts must be at least 1 but was 0");
        assertInvalid(() -> RetryPolicy.builder().backoff(null, Duration.ZERO), "base must not be null");
        assertInvalid(() -> RetryPolicy.builder().backoff(Duration.ofMillis(-1), Duration.ZERO),
                "backoff base must be zero or positive but was -1 ms");
        assertInvalid(() -> RetryPolicy.builder().backoff(Duration.ofMillis(50), Duration.ofMillis(10)),
                "backoff cap 10 ms is below base 50 ms");
        assertInvalid(() -> RetryPolicy.builder().maxDuration(Duration.ZERO), "maxDuration must be positive");
        assertInvalid(() -> RetryPolicy.builder().retryOn(EnumSet.noneOf(ErrorCode.class)), "retryOn must name");
        assertInvalid(() -> RetryPolicy.builder().retryOn(EnumSet.of(ErrorCode.COMMIT_UNKNOWN)),
                "COMMIT_UNKNOWN cannot be retried blindly");
        assertInvalid(() -> RetryPolicy.builder().abortIf(null), "abortIf predicate must not be null");
        assertInvalid(() -> RetryPolicy.builder().onRetry(null), "onRetry listener must not be null");
        assertInvalid(() -> RetryPolicy.defaults().delayCap(0), "retry must be at least 1 but was 0");
    }

    @Test
    void toBuilderCopiesAndTheOriginalStaysUnchanged() {
        RetryPolicy p = RetryPolicy.builder().maxAttempts(9).retryOn(EnumSet.of(ErrorCode.CONFLICT)).build();
        RetryPolicy q = p.toBuilder().maxAttempts(2).build();
        assertThat(q.maxAttempts()).isEqualTo(2);
        assertThat(q.retryOn()).containsExactly(ErrorCode.CONFLICT);
        assertThat(p.maxAttempts()).isEqualTo(9);
        assertThatThrownBy(() -> p.retryOn().add(ErrorCode.DEADLOCK)).isInstanceOf(UnsupportedOperationException.class);
    }

    private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(TxkitException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(e.getMessage()).contains(message);
        });
    }
}
