package dev.txkit;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TxOptionsTest {

    @Test
    void defaultsAreDocumentedValues() {
        TxOptions d = TxOptions.defaults();
        assertThat(d.isolation()).isNull();
        assertThat(d.readOnly()).isFalse();
        assertThat(d.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(d.maxWait()).isEqualTo(Duration.ofSeconds(2));
        assertThat(d.propagation()).isEqualTo(Propagation.REQUIRED);
    }

    @Test
    void withersReturnCopiesAndLeaveTheOriginalAlone() {
        TxOptions d = TxOptions.defaults();
        TxOptions s = d.withIsolation(Isolation.SERIALIZABLE).withReadOnly(true).withTimeout(Duration.ofSeconds(1))
                .withMaxWait(Duration.ofMillis(100)).withPropagation(Propagation.NESTED);
        assertThat(s.isolation()).isEqualTo(Isolation.SERIALIZABLE);
        assertThat(s.readOnly()).isTrue();
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.maxWait()).isEqualTo(Duration.ofMillis(100));
        assertThat(s.propagation()).isEqualTo(Propagation.NESTED);
        assertThat(d).isEqualTo(TxOptions.defaults());
        assertThat(s).isNotEqualTo(d);
    }

    @Test
    void badDurationsNameTheSettingAndTheValue() {
        TxOptions d = TxOptions.defaults();
        assertInvalid(() -> d.withTimeout(null), "timeout must not be null");
        assertInvalid(() -> d.withTimeout(Duration.ZERO), "timeout must be positive but was 0 ms");
        assertInvalid(() -> d.withTimeout(Duration.ofMillis(-5)), "timeout must be positive but was -5 ms");
        assertInvalid(() -> d.withMaxWait(null), "maxWait must not be null");
        assertInvalid(() -> d.withMaxWait(Duration.ofSeconds(-1)), "maxWait must be positive but was -1000 ms");
        assertInvalid(() -> d.withPropagation(null), "propagation must not be null");
    }

    @Test
    void retryIsOnByDefaultAndCanBeReplacedOrTurnedOff() {
        assertThat(TxOptions.defaults().retry()).isSameAs(dev.txkit.retry.RetryPolicy.defaults());
        TxOptions off = TxOptions.defaults().withRetry(dev.txkit.retry.RetryPolicy.none());
        assertThat(off.retry().maxAttempts()).isEqualTo(1);
        assertThat(TxOptions.defaults().retry().maxAttempts()).isEqualTo(10);
        assertInvalid(() -> TxOptions.defaults().withRetry(null), "retry must not be null; use RetryPolicy.none()");
    }

    private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(TxkitException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(e.getMessage()).contains(message);
        });
    }
}
