package dev.txkit.internal.contention;

import dev.txkit.ErrorCode;
import dev.txkit.KeyContention;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.spi.TxAttempt;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An attempt stuck in flight (a frozen database node, a hanging connection) stops holding its key's place once
 * it has held it for the key's stall time, so the transactions queued behind it are not all failed with
 * ADMISSION_TIMEOUT; the stuck one's own end later gives nothing back twice.
 */
class StalledAttemptTest {
    private static final TxOptions OPTIONS = TxOptions.defaults(); // 5 s timeout: longer than the stall time
    private final ContentionControl control = new ContentionControl(event -> { });

    private static TxAttempt attempt(int n) {
        return new TxAttempt(n, 10, OPTIONS, Duration.ZERO);
    }

    private KeyContention state() {
        return control.snapshot().stream().filter(k -> k.key().equals("k")).findFirst().orElseThrow();
    }

    /** Hot at a limit of 1, its one place taken by the returned attempt. */
    private Permit stuckHolder() {
        control.failed("k", TxkitException.of(ErrorCode.CONFLICT, "serialization failure", null, "40001", 0));
        control.admit("k", OPTIONS, attempt(1))
                .failed(TxkitException.of(ErrorCode.CONFLICT, "serialization failure", null, "40001", 0));
        assertThat(state().limit()).isEqualTo(1);
        return control.admit("k", OPTIONS, attempt(1));
    }

    @Test
    void aStuckAttemptStopsHoldingItsPlaceAfterTheStallTimeAndItsLateEndGivesNothingBackTwice() throws Exception {
        Permit stuck = stuckHolder();
        long start = System.nanoTime();
        CompletableFuture<Permit> next = CompletableFuture.supplyAsync(
                () -> control.admit("k", OPTIONS, attempt(1)));
        Permit admitted = next.get(4, TimeUnit.SECONDS); // before its 5 s timeout runs out
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not before the stall time")
                .isGreaterThanOrEqualTo(Duration.ofNanos(Places.STALL_MIN_NANOS).minusMillis(50));
        assertThat(state().inFlight()).as("the stuck one no longer counts").isEqualTo(1);
        assertThat(state().limit()).isEqualTo(1);
        stuck.committed(); // it ends at last
        assertThat(state().inFlight()).as("its place was given back already").isEqualTo(1);
        admitted.committed();
        assertThat(state().inFlight()).isZero();
    }

    @Test
    void onlyTheOldestStuckAttemptIsWrittenOffPerStallAndAWaiterAdmittedByAReleaseWritesOffNothing() throws Exception {
        Permit stuck = stuckHolder();
        CompletableFuture<Permit> second = CompletableFuture.supplyAsync(
                () -> control.admit("k", OPTIONS, attempt(1)));
        CompletableFuture<Permit> third = CompletableFuture.supplyAsync(
                () -> control.admit("k", OPTIONS, attempt(1)));
        while (state().queued() < 2) {
            LockSupport.parkNanos(1_000_000);
        }
        // one of the two is let in after the stall time; the other stays queued behind the limit of 1
        Permit first = CompletableFuture.anyOf(second, third).thenApply(p -> (Permit) p)
                .get(4, TimeUnit.SECONDS);
        assertThat(state().inFlight()).isEqualTo(1);
        assertThat(state().queued()).isEqualTo(1);
        first.committed(); // a normal release lets the other in
        CompletableFuture<Permit> other = second.isDone() && second.get() == first ? third : second;
        Permit last = other.get(1, TimeUnit.SECONDS);
        assertThat(state().inFlight()).isEqualTo(1);
        last.committed();
        stuck.failed(new IllegalStateException("its node came back too late"));
        assertThat(state().inFlight()).isZero();
        assertThat(state().queued()).isZero();
    }
}
