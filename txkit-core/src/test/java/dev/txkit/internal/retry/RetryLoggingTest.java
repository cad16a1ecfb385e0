package dev.txkit.internal.retry;

import dev.txkit.ErrorCode;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.retry.RetriesExhaustedException;
import dev.txkit.retry.RetryPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code dev.txkit.retry} logger: one DEBUG line per retry (code, attempt, delay) and one per
 * give-up, never a bound value. Without another System.Logger provider these reach java.util.logging.
 */
class RetryLoggingTest {
    private final Logger jul = Logger.getLogger("dev.txkit.retry");
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            lines.add(r.getLevel() + " " + r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level before;

    @BeforeEach
    void listen() {
        before = jul.getLevel();
        jul.setLevel(Level.FINE);
        jul.addHandler(capture);
    }

    @AfterEach
    void stop() {
        jul.removeHandler(capture);
        jul.setLevel(before);
    }

    @Test
    void eachRetryAndTheGiveUpIsOneDebugLine() {
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(3).backoff(Duration.ofMillis(10), Duration.ofMillis(10))
                .jitter(false).build();
        RetryLoop loop = new RetryLoop(TxOptions.defaults().withRetry(policy), new RetryLoopTest.FakeClock(),
                (failed, delay, failure) -> { });
        assertThatThrownBy(() -> loop.run(a -> {
            throw TxkitException.of(ErrorCode.CONFLICT, "UPDATE wallet SET balance = 4242", null, "40001", 0);
        })).isInstanceOf(RetriesExhaustedException.class);
        assertThat(lines).containsExactly(
                "FINE txkit: retrying after CONFLICT (attempt 1 of 3 failed; attempt 2 starts after 10 ms)",
                "FINE txkit: retrying after CONFLICT (attempt 2 of 3 failed; attempt 3 starts after 10 ms)",
                "FINE txkit: giving up after CONFLICT (attempt 3 of 3)");
    }

    @Test
    void nothingIsFormattedWhenDebugIsOff() {
        jul.setLevel(Level.INFO);
        RetryLoop loop = new RetryLoop(TxOptions.defaults(), new RetryLoopTest.FakeClock(), (failed, delay, failure) -> { });
        int[] n = {0};
        Integer attempts = loop.run(a -> {
            if (n[0]++ == 0) {
                throw TxkitException.of(ErrorCode.DEADLOCK, "deadlock", null, "40P01", 0);
            }
            return a.number();
        });
        assertThat(attempts).isEqualTo(2);
        assertThat(lines).isEmpty();
    }
}
