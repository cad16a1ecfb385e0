package dev.txkit;

import dev.txkit.retry.RetriesExhaustedException;
import dev.txkit.retry.RetryPolicy;
import dev.txkit.spi.TxAttempt;
import dev.txkit.spi.TxListener;
import dev.txkit.table.LockEscalation;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code db.optimistic} runs in the same retry loop as {@code inTransaction}: the four ways the two
 * used to differ (issue 9) — attempt numbers, listener events, an {@code onRetry} listener that
 * throws, and how it gives up — each checked against what {@code inTransaction} does.
 */
class OptimisticRetryTest {
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final Database db = Database.builder(h2()).listener(new TxListener() {
        @Override
        public void attemptStarted(TxAttempt attempt) {
            events.add("started " + attempt.number());
        }

        @Override
        public void retryScheduled(TxAttempt failed, Duration delay, TxkitException failure) {
            events.add("retry after " + failed.number() + " " + failure.code());
        }

        @Override
        public void committed(TxAttempt attempt, Duration duration) {
            events.add("committed " + attempt.number());
        }
    }).build();

    private static JdbcDataSource h2() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:optimistic-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        return ds;
    }

    private static RetryPolicy attempts(int n) {
        return RetryPolicy.builder().maxAttempts(n).backoff(Duration.ZERO, Duration.ZERO).build();
    }

    private static TxkitException conflict(int attempt) {
        return TxkitException.of(ErrorCode.OPTIMISTIC_CONFLICT, "stale version in attempt " + attempt);
    }

    @AfterEach
    void nothingLeftOpen() {
        assertThat(db.openTransactions()).isZero();
        assertThat(db.inScope()).isFalse();
        db.close();
    }

    @Test
    void attemptsAreNumberedOneTwoThreeAsInInTransaction() {
        List<Integer> seen = new ArrayList<>();
        int result = db.optimistic(attempts(5), LockEscalation.NONE, tx -> {
            seen.add(tx.attempt());
            if (seen.size() < 3) {
                throw conflict(tx.attempt());
            }
            return tx.attempt();
        });
        assertThat(seen).containsExactly(1, 2, 3);
        assertThat(result).isEqualTo(3);
    }

    @Test
    void listenersHearEveryAttemptAndRetryAsInInTransaction() {
        db.optimistic(attempts(5), LockEscalation.NONE, tx -> {
            if (tx.attempt() < 3) {
                throw conflict(tx.attempt());
            }
            return null;
        });
        List<String> optimistic = List.copyOf(events);
        events.clear();
        db.inTransaction(TxOptions.defaults().withRetry(attempts(5)), tx -> {
            if (tx.attempt() < 3) {
                throw TxkitException.of(ErrorCode.CONFLICT, "serialization failure");
            }
            return null;
        });
        assertThat(optimistic).containsExactly("started 1", "retry after 1 OPTIMISTIC_CONFLICT", "started 2",
                "retry after 2 OPTIMISTIC_CONFLICT", "started 3", "committed 3");
        assertThat(events).containsExactly("started 1", "retry after 1 CONFLICT", "started 2",
                "retry after 2 CONFLICT", "started 3", "committed 3");
    }

    @Test
    void anOnRetryListenerThatThrowsDoesNotStopTheRetries() {
        RetryPolicy throwing = attempts(5).toBuilder().onRetry((next, delay, failure) -> {
            throw new IllegalStateException("listener bug");
        }).build();
        int result = db.optimistic(throwing, LockEscalation.NONE, tx -> {
            if (tx.attempt() < 3) {
                throw conflict(tx.attempt());
            }
            return tx.attempt();
        });
        assertThat(result).isEqualTo(3);
        int again = db.inTransaction(TxOptions.defaults().withRetry(throwing.toBuilder()
                .retryOn(java.util.EnumSet.of(ErrorCode.CONFLICT)).build()), tx -> {
            if (tx.attempt() < 3) {
                throw TxkitException.of(ErrorCode.CONFLICT, "serialization failure");
            }
            return tx.attempt();
        });
        assertThat(again).as("inTransaction does the same").isEqualTo(3);
    }

    @Test
    void givingUpThrowsRetriesExhaustedWithTheEarlierFailuresSuppressed() {
        List<TxkitException> thrown = new ArrayList<>();
        assertThatThrownBy(() -> db.optimistic(attempts(3), LockEscalation.NONE, tx -> {
            TxkitException e = conflict(tx.attempt());
            thrown.add(e);
            throw e;
        })).isInstanceOfSatisfying(RetriesExhaustedException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.OPTIMISTIC_CONFLICT);
            assertThat(e.attempts()).isEqualTo(3);
            assertThat(e.lastFailure()).isSameAs(thrown.get(2));
            assertThat(e.getSuppressed()).containsExactly(thrown.get(0), thrown.get(1));
            assertThat(e.getMessage()).startsWith("OPTIMISTIC_CONFLICT: stale version in attempt 3")
                    .contains("gave up after attempt 3").endsWith("(attempt 3 of 3)");
        });
        assertThat(thrown).hasSize(3);
    }

    @Test
    void eachCallRetriesWithItsOwnPolicyWhenCallsAlternateBetweenTwo() {
        RetryPolicy two = attempts(2);
        RetryPolicy four = attempts(4);
        assertThat(two.retryOn()).doesNotContain(ErrorCode.OPTIMISTIC_CONFLICT); // db.optimistic widens it
        for (RetryPolicy policy : List.of(two, two, four, two, four, four)) {
            assertThatThrownBy(() -> db.optimistic(policy, LockEscalation.NONE, tx -> {
                throw conflict(tx.attempt());
            })).isInstanceOfSatisfying(RetriesExhaustedException.class,
                    e -> assertThat(e.attempts()).isEqualTo(policy.maxAttempts()));
        }
    }
}
