package dev.txkit.internal.retry;

import dev.txkit.ErrorCode;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.retry.RetriesExhaustedException;
import dev.txkit.retry.RetryPolicy;
import dev.txkit.spi.TxAttempt;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Attempt and budget accounting of the retry loop, on a fake clock (no real sleeping). */
class RetryLoopTest {

    /** A clock that only moves when someone sleeps or an attempt "takes" time. */
    static final class FakeClock implements RetryLoop.Clock {
        long now = 1_000_000_000L;
        final List<Duration> sleeps = new ArrayList<>();

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleep(Duration d) {
            sleeps.add(d);
            now += d.toNanos();
        }

        void advance(Duration d) {
            now += d.toNanos();
        }
    }

    private final FakeClock clock = new FakeClock();
    private final List<String> scheduled = new ArrayList<>();

    private RetryLoop loop(RetryPolicy policy) {
        return new RetryLoop(TxOptions.defaults().withRetry(policy), clock,
                (failed, delay, failure) -> scheduled.add(failed.number() + ":" + delay.toMillis()));
    }

    private static TxkitException conflict(int attempt) {
        return TxkitException.of(ErrorCode.CONFLICT, "serialization failure in attempt " + attempt, null, "40001", 0);
    }

    @Test
    void succeedsOnTheFirstAttemptWithoutSleeping() {
        String r = loop(RetryPolicy.defaults()).run(a -> "ok " + a.number() + "/" + a.maxAttempts());
        assertThat(r).isEqualTo("ok 1/10");
        assertThat(clock.sleeps).isEmpty();
    }

    @Test
    void retriesUntilSuccessAndNumbersTheAttempts() {
        List<TxAttempt> seen = new ArrayList<>();
        RetryPolicy p = RetryPolicy.builder().jitter(false).build();
        String r = loop(p).run(a -> {
            seen.add(a);
            clock.advance(Duration.ofMillis(3));
            if (a.number() < 4) {
                throw conflict(a.number());
            }
            return "done";
        });
        assertThat(r).isEqualTo("done");
        assertThat(seen).extracting(TxAttempt::number).containsExactly(1, 2, 3, 4);
        assertThat(clock.sleeps).containsExactly(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(40));
        assertThat(scheduled).containsExactly("1:10", "2:20", "3:40");
        // attempt 4 starts after 3 attempts of 3 ms and 70 ms of backoff
        assertThat(seen.get(3).sinceFirstAttempt()).isEqualTo(Duration.ofMillis(79));
        assertThat(seen.get(0).sinceFirstAttempt()).isZero();
    }

    @Test
    void exhaustionThrowsTheLastFailureWithTheEarlierOnesSuppressedAndTheCountInTheMessage() {
        List<TxkitException> thrown = new ArrayList<>();
        assertThatThrownBy(() -> loop(RetryPolicy.builder().maxAttempts(5).build()).run(a -> {
            TxkitException e = conflict(a.number());
            thrown.add(e);
            throw e;
        })).isInstanceOfSatisfying(RetriesExhaustedException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
            assertThat(e.sqlState()).isEqualTo("40001");
            assertThat(e.attempts()).isEqualTo(5);
            assertThat(e.getMessage()).startsWith("CONFLICT: serialization failure in attempt 5")
                    .endsWith("(attempt 5 of 5)");
            assertThat(e.lastFailure()).isSameAs(thrown.get(4));
            assertThat(e.getSuppressed()).containsExactly(thrown.get(0), thrown.get(1), thrown.get(2), thrown.get(3));
        });
        assertThat(thrown).hasSize(5);
        assertThat(clock.sleeps).hasSize(4);
    }

    @Test
    void stopsWhenTheNextDelayWouldEndPastTheBudget() {
        RetryPolicy p = RetryPolicy.builder().maxAttempts(100).jitter(false)
                .backoff(Duration.ofMillis(100), Duration.ofMillis(100)).maxDuration(Duration.ofMillis(1000)).build();
        int[] runs = {0};
        assertThatThrownBy(() -> loop(p).run(a -> {
            runs[0]++;
            clock.advance(Duration.ofMillis(150));
            throw conflict(a.number());
        })).isInstanceOfSatisfying(RetriesExhaustedException.class, e -> {
            // attempts end at 150, 400, 650, 900 (a retry ending exactly at 1000 is allowed), 1150 ms
            assertThat(e.attempts()).isEqualTo(5);
            assertThat(e.getMessage()).contains("attempt 5 of 100; retry budget of 1000 ms used up after 1150 ms");
            assertThat(e.getSuppressed()).hasSize(4);
        });
        assertThat(runs[0]).isEqualTo(5);
    }

    @Test
    void nonRetryableFailuresAndCallbackExceptionsPassThroughUnchangedAfterOneAttempt() {
        TxkitException unique = TxkitException.of(ErrorCode.UNIQUE_VIOLATION, "dup");
        assertThatThrownBy(() -> loop(RetryPolicy.defaults()).run(a -> {
            throw unique;
        })).isSameAs(unique);
        IOException io = new IOException("mine");
        assertThatThrownBy(() -> loop(RetryPolicy.defaults()).<String, IOException>run(a -> {
            throw io;
        })).isSameAs(io);
        IllegalStateException ise = new IllegalStateException("bug");
        assertThatThrownBy(() -> loop(RetryPolicy.defaults()).run(a -> {
            throw ise;
        })).isSameAs(ise);
        TxkitException unknown = TxkitException.of(ErrorCode.COMMIT_UNKNOWN, "lost");
        assertThatThrownBy(() -> loop(RetryPolicy.defaults()).run(a -> {
            throw unknown;
        })).isSameAs(unknown);
        assertThat(clock.sleeps).isEmpty();
    }

    @Test
    void withRetryOffAConflictPassesThroughUnchanged() {
        TxkitException c = conflict(1);
        assertThatThrownBy(() -> loop(RetryPolicy.none()).run(a -> {
            throw c;
        })).isSameAs(c);
    }

    @Test
    void anInnerBoundarysExhaustedFailureIsNotRetriedAgain() {
        RetriesExhaustedException inner = new RetriesExhaustedException(conflict(5), 5, "attempt 5 of 5");
        int[] runs = {0};
        assertThatThrownBy(() -> loop(RetryPolicy.defaults()).run(a -> {
            runs[0]++;
            throw inner;
        })).isSameAs(inner);
        assertThat(runs[0]).isEqualTo(1);
    }

    @Test
    void closedAfterASwallowedConflictIsRetriedBecauseTheConflictEndedTheTransaction() {
        TxkitException closed = TxkitException.of(ErrorCode.CLOSED, "transaction has ended", conflict(1));
        String r = loop(RetryPolicy.defaults()).run(a -> {
            if (a.number() == 1) {
                throw closed;
            }
            return "second";
        });
        assertThat(r).isEqualTo("second");
    }

    @Test
    void abortPredicateStopsRetryingAndPassesTheFailureThrough() {
        RetryPolicy p = RetryPolicy.builder().abortIf(e -> "40001".equals(e.sqlState())).build();
        TxkitException c = conflict(1);
        assertThatThrownBy(() -> loop(p).run(a -> {
            throw c;
        })).isSameAs(c);
    }

    @Test
    void policyListenerHearsEachRetryAndItsFailureEvenIfItThrows() {
        List<String> heard = new ArrayList<>();
        RetryPolicy p = RetryPolicy.builder().jitter(false).onRetry((next, delay, failure) -> {
            heard.add(next + "@" + delay.toMillis() + ":" + failure.code());
            throw new IllegalStateException("listener bug must not break the transaction");
        }).build();
        String r = loop(p).run(a -> {
            if (a.number() < 3) {
                throw conflict(a.number());
            }
            return "ok";
        });
        assertThat(r).isEqualTo("ok");
        assertThat(heard).containsExactly("2@10:CONFLICT", "3@20:CONFLICT");
    }

    @Test
    void interruptDuringBackoffGivesUpKeepingTheInterruptFlag() {
        RetryLoop.Clock interrupting = new RetryLoop.Clock() {
            @Override
            public long nanoTime() {
                return 0;
            }

            @Override
            public void sleep(Duration d) throws InterruptedException {
                throw new InterruptedException("shutdown");
            }
        };
        RetryLoop l = new RetryLoop(TxOptions.defaults().withRetry(
                RetryPolicy.builder().jitter(false).build()), interrupting, (f, d, e) -> { });
        try {
            assertThatThrownBy(() -> l.run(a -> {
                throw conflict(a.number());
            })).isInstanceOfSatisfying(RetriesExhaustedException.class, e -> {
                assertThat(e.attempts()).isEqualTo(1);
                assertThat(e.getMessage()).contains("attempt 1 of 10; interrupted while waiting to retry");
                assertThat(e.getSuppressed()).singleElement().isInstanceOf(InterruptedException.class);
            });
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
