package dev.txkit.internal.contention;

import dev.txkit.ErrorCode;
import dev.txkit.KeyContention;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.spi.TxAttempt;
import dev.txkit.spi.TxListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The admission arithmetic of {@link ContentionControl} and {@link KeyLimit}, without a database. */
class KeyLimitTest {
    private static final TxOptions OPTIONS = TxOptions.defaults();
    private final List<String> events = new ArrayList<>();
    private final ContentionControl control = new ContentionControl(this::emit);

    private synchronized void emit(Consumer<TxListener> event) {
        event.accept(new TxListener() {
            @Override
            public void contentionLimitChanged(Object key, int previous, int limit) {
                events.add(previous + "->" + limit);
            }
        });
    }

    private static TxkitException conflict() {
        return TxkitException.of(ErrorCode.CONFLICT, "serialization failure", null, "40001", 0);
    }

    private static TxAttempt attempt(int n) {
        return new TxAttempt(n, 10, OPTIONS, Duration.ZERO);
    }

    private KeyContention state(Object key) {
        return control.snapshot().stream().filter(k -> k.key().equals(key)).findFirst().orElseThrow();
    }

    @Test
    void aKeyThatNeverCollidedHasNoRecordAndIsNotHeldBack() {
        assertThat(control.admit("cold", OPTIONS, attempt(1))).isNull();
        control.failed("cold", TxkitException.of(ErrorCode.NOT_FOUND, "no row"));
        assertThat(control.admit("cold", OPTIONS, attempt(1))).isNull();
        assertThat(control.snapshot()).isEmpty();
    }

    @Test
    void collisionsLowerTheLimitAndCleanCommitsUnderDemandRaiseItUntilTheKeyCoolsDown() {
        control.failed("k", conflict()); // the first collision creates the record, cold
        assertThat(state("k").hot()).isFalse();
        // eight attempts in flight at once, then all collide: the key turns hot at half of them
        List<Permit> running = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            running.add(control.admit("k", OPTIONS, attempt(1)));
        }
        running.get(0).failed(conflict());
        assertThat(state("k").hot()).isTrue();
        assertThat(state("k").limit()).isEqualTo(4);
        // the other seven were admitted before that decrease: their collisions say nothing new
        for (Permit p : running.subList(1, 8)) {
            p.failed(conflict());
        }
        assertThat(state("k").limit()).isEqualTo(4);
        // attempts admitted after that which all collide: two are clear evidence that fewer would commit
        // more (above a quarter colliding); with every attempt colliding that is 1, but a small sample only
        // halves the limit at a time
        control.admit("k", OPTIONS, attempt(2)).failed(conflict());
        assertThat(state("k").limit()).isEqualTo(4);
        control.admit("k", OPTIONS, attempt(2)).failed(conflict());
        assertThat(state("k").limit()).isEqualTo(2);
        control.admit("k", OPTIONS, attempt(2)).failed(conflict());
        assertThat(state("k").limit()).isEqualTo(2);
        control.admit("k", OPTIONS, attempt(2)).failed(conflict());
        assertThat(state("k").limit()).isEqualTo(1);
        assertThat(state("k").conflicts()).isEqualTo(11);
        // at 1 nothing collides, so after a window of clean commits under demand it probes 2
        assertThat(commitsUntilLimit(2)).isEqualTo(LimitLearner.WINDOW);
        // two at a time, one of each pair collides (a single hot row): half collide, above the bound for 2,
        // clearly so before the window is full
        int pairs = 0;
        while (state("k").limit() == 2) {
            Permit first = control.admit("k", OPTIONS, attempt(1));
            Permit second = control.admit("k", OPTIONS, attempt(1));
            first.committed();
            second.failed(conflict());
            assertThat(++pairs).isLessThanOrEqualTo(LimitLearner.window(2) / 2);
        }
        assertThat(state("k").limit()).isEqualTo(1);
        // the failed probe doubles the window before the next one
        assertThat(commitsUntilLimit(2)).isEqualTo(2 * LimitLearner.WINDOW);
        // this time two at a time both commit: no collisions at 2 means more would commit more
        for (int i = 0; i < LimitLearner.window(2) / 2; i++) {
            Permit first = control.admit("k", OPTIONS, attempt(1));
            Permit second = control.admit("k", OPTIONS, attempt(1));
            first.committed();
            second.committed();
        }
        assertThat(state("k").limit()).isEqualTo(4);
        // one at a time there is no demand for more: it stays, until a long run of clean commits that
        // nobody had to wait for turns the key cold
        int commits = 0;
        while (state("k").hot()) {
            assertThat(state("k").limit()).isEqualTo(4);
            control.admit("k", OPTIONS, attempt(1)).committed();
            assertThat(++commits).isLessThanOrEqualTo(LimitLearner.COOL_AFTER);
        }
        assertThat(state("k").limit()).isEqualTo(Integer.MAX_VALUE);
        assertThat(events).containsExactly(Integer.MAX_VALUE + "->4", "4->2", "2->1", "1->2", "2->1", "1->2", "2->4",
                "4->" + Integer.MAX_VALUE);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void onlyAttemptsThatReallyLeftAtTheirWriteMakeOneCollisionAtTwoEnoughToGoBack(boolean leftAtWrite) {
        control.failed("k", conflict());
        control.failed("k", conflict()); // hot, at 1 (nothing was in flight)
        assertThat(state("k").limit()).isEqualTo(1);
        int commits = 0;
        while (state("k").limit() < 2) {
            Permit p = control.admit("k", OPTIONS, attempt(1));
            // TxBegin asks every attempt; only where reads wait for writes (MariaDB) does it leave at its write
            assertThat(p.single()).isTrue();
            if (leftAtWrite) {
                p.leavingAtWrite();
            }
            p.committed();
            assertThat(++commits).isLessThanOrEqualTo(1000);
        }
        // a window at 2 with one collision in sixteen attempts
        for (int i = 0; i < LimitLearner.window(2) / 2; i++) {
            Permit first = control.admit("k", OPTIONS, attempt(1));
            Permit second = control.admit("k", OPTIONS, attempt(1));
            first.committed();
            if (i == 0) {
                second.failed(conflict());
            } else {
                second.committed();
            }
        }
        if (leftAtWrite) {
            assertThat(state("k").limit()).as("leaving at the write works at 1: 2 must be clean").isEqualTo(1);
        } else {
            assertThat(state("k").limit()).as("by the model: few collisions, more commit more").isEqualTo(4);
        }
    }

    private int commitsUntilLimit(int limit) {
        int commits = 0;
        while (state("k").limit() < limit) {
            control.admit("k", OPTIONS, attempt(1)).committed();
            assertThat(++commits).isLessThanOrEqualTo(1000);
        }
        return commits;
    }

    /** Makes "k" hot with limit 1 and one attempt holding the place. */
    private Permit hotWithOnePlaceTaken() {
        control.failed("k", conflict());
        control.admit("k", OPTIONS, attempt(1)).failed(conflict());
        assertThat(state("k").limit()).isEqualTo(1);
        return control.admit("k", OPTIONS, attempt(1));
    }

    @Test
    void atTheLimitTheNextTransactionWaitsUntilAPlaceIsFreeAndThatWaitIsReported() throws Exception {
        Permit first = hotWithOnePlaceTaken();
        CompletableFuture<Permit> second = CompletableFuture.supplyAsync(
                () -> control.admit("k", OPTIONS, attempt(1)));
        while (state("k").queued() == 0) {
            LockSupport.parkNanos(1_000_000); // until it is queued
        }
        assertThat(second).isNotDone();
        first.committed();
        Permit p = second.get(5, TimeUnit.SECONDS);
        assertThat(state("k").inFlight()).isEqualTo(1);
        assertThat(p.options().timeout()).isLessThanOrEqualTo(OPTIONS.timeout());
        p.committed();
        assertThat(state("k").inFlight()).isZero();
    }

    @Test
    void anAttemptThatCollidedOftenRunsAloneAndNothingOvertakesItMeanwhile() throws Exception {
        control.failed("k", conflict());
        List<Permit> running = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            running.add(control.admit("k", OPTIONS, attempt(1)));
        }
        running.get(0).failed(conflict());
        running.subList(1, 8).forEach(Permit::committed);
        assertThat(state("k").limit()).isEqualTo(4);
        Permit first = control.admit("k", OPTIONS, attempt(1));
        CompletableFuture<Permit> unlucky = CompletableFuture.supplyAsync(
                () -> control.admit("k", OPTIONS, attempt(ContentionControl.SOLO_AFTER + 1)));
        while (state("k").queued() == 0) {
            LockSupport.parkNanos(1_000_000); // until it waits for the one running to end
        }
        CompletableFuture<Permit> next = CompletableFuture.supplyAsync(
                () -> control.admit("k", OPTIONS, attempt(1)));
        while (state("k").queued() < 2) {
            LockSupport.parkNanos(1_000_000); // behind it, although the limit has room
        }
        first.committed();
        Permit alone = unlucky.get(5, TimeUnit.SECONDS);
        assertThat(state("k").inFlight()).isEqualTo(1);
        assertThat(state("k").queued()).as("nothing runs beside it").isEqualTo(1);
        assertThat(next).isNotDone();
        alone.committed();
        next.get(5, TimeUnit.SECONDS).committed();
        assertThat(state("k").inFlight()).isZero();
        assertThat(state("k").queued()).isZero();
    }

    @Test
    void aTransactionNotAdmittedWithinItsTimeoutFailsWithAdmissionTimeoutAndLeavesTheQueue() {
        Permit first = hotWithOnePlaceTaken();
        TxOptions shortTimeout = OPTIONS.withTimeout(Duration.ofMillis(100));
        long start = System.nanoTime();
        assertThatThrownBy(() -> control.admit("k", shortTimeout, attempt(1)))
                .isInstanceOfSatisfying(TxkitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.ADMISSION_TIMEOUT);
                    assertThat(e.getMessage()).contains("of the 100 ms timeout").contains("admits 1 at once")
                            .contains("nothing ran").doesNotContain("\"k\"");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
        assertThat(state("k").queued()).isZero();
        first.committed();
    }

    @Test
    void closingWakesWaitersWithClosed() throws Exception {
        Permit first = hotWithOnePlaceTaken();
        CompletableFuture<Permit> waiter = CompletableFuture.supplyAsync(
                () -> control.admit("k", OPTIONS, attempt(1)));
        while (state("k").queued() == 0) {
            LockSupport.parkNanos(1_000_000);
        }
        control.close();
        assertThatThrownBy(() -> waiter.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(TxkitException.class)
                .cause().satisfies(e -> assertThat(((TxkitException) e).code()).isEqualTo(ErrorCode.CLOSED));
        first.committed();
    }

    @Test
    void observedKeysAreTimedButNeverHeldBack() {
        ContentionControl.Observed key = new ContentionControl.Observed("site");
        control.failed(key, conflict());
        for (int i = 0; i < 5; i++) {
            control.admit(key, OPTIONS, attempt(1)).failed(conflict());
        }
        assertThat(state(key).hot()).isFalse();
        assertThat(control.contendedWithin(key, Duration.ofSeconds(10))).isTrue();
        assertThat(control.contendedWithin("never", Duration.ofSeconds(10))).isFalse();
    }

    @Test
    void aKeyWhoseCallersKeepOverlappingStaysContendedPastTheWindowAndOneWhoseCallersStopDoesNot() {
        Duration window = Duration.ofMillis(400); // each check has a quarter of it (100 ms) of slack
        ContentionControl.Observed busy = new ContentionControl.Observed("busy");
        ContentionControl.Observed quiet = new ContentionControl.Observed("quiet");
        control.failed(busy, conflict());
        control.failed(quiet, conflict());
        long collided = System.nanoTime();
        Permit running = control.admit(busy, OPTIONS, attempt(1)); // another caller of busy runs
        awaitNanos(collided + window.toNanos() * 3 / 4);
        assertThat(control.contendedWithin(busy, window)).as("inside the window: others run, so it starts again").isTrue();
        assertThat(control.contendedWithin(quiet, window)).as("inside the window, nobody else runs").isTrue();
        awaitNanos(collided + window.toNanos() * 3 / 2);
        assertThat(control.contendedWithin(busy, window)).as("past the collision's window, still overlapping").isTrue();
        assertThat(control.contendedWithin(quiet, window)).as("past the window, nothing overlapped").isFalse();
        running.committed();
        long last = System.nanoTime();
        assertThat(control.contendedWithin(busy, window)).as("the window of the last overlap").isTrue();
        awaitNanos(last + window.toNanos() * 3 / 2);
        assertThat(control.contendedWithin(busy, window)).as("alone since: the callers stopped overlapping").isFalse();
    }

    /** Lets time pass until {@code deadline} (a System.nanoTime); the windows under test are spans of time. */
    private static void awaitNanos(long deadline) {
        for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}
