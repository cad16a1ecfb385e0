package dev.txkit.testing;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The race helper itself: real concurrency from one barrier, and forced interleavings. */
class RaceTest {

    @Test
    void allOperationsRunAtTheSameTime() {
        int n = 20;
        // Each task waits for all the others: this only completes if all n run concurrently.
        CyclicBarrier together = new CyclicBarrier(n);
        Race.Result<Integer> r = Race.run(n, i -> {
            together.await(5, TimeUnit.SECONDS);
            if (i % 5 == 0) {
                throw TxkitException.of(ErrorCode.OPTIMISTIC_CONFLICT, "lost " + i);
            }
            return i * 10;
        });
        assertThat(r.successes()).isEqualTo(16);
        assertThat(r.failuresWith(ErrorCode.OPTIMISTIC_CONFLICT)).isEqualTo(4);
        assertThat(r.failuresOf(TxkitException.class)).isEqualTo(4);
        assertThat(r.values()).hasSize(16).contains(10, 190).doesNotContain(0, 50);
        assertThat(r.outcomes().get(5).succeeded()).isFalse();
        assertThat(r.outcomes().get(5).code()).isEqualTo(ErrorCode.OPTIMISTIC_CONFLICT);
        assertThat(r.outcomes().get(7).value()).isEqualTo(70);
    }

    @Test
    void aStuckOperationFailsTheRaceWithItsName() {
        CountDownLatch never = new CountDownLatch(1);
        assertThatThrownBy(() -> Race.run(2, Duration.ofMillis(300), i -> {
            if (i == 1) {
                never.await();
            }
            return i;
        })).isInstanceOf(AssertionError.class).hasMessageContaining("1 of 2").hasMessageContaining("race-1");
    }

    @Test
    void badArgumentsAreInvalid() {
        assertThatThrownBy(() -> Race.run(0, i -> i)).isInstanceOfSatisfying(TxkitException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        assertThatThrownBy(() -> Race.interleave().actor("a.b", t -> null)).isInstanceOf(TxkitException.class);
        assertThatThrownBy(() -> Race.interleave().actor("A", t -> null).order("A.x", "B.y").run())
                .isInstanceOf(TxkitException.class).hasMessageContaining("B.y");
    }

    /** A read-modify-write on shared memory, the shape of the wallet bug. */
    private static Interleaving.Script deduct(AtomicInteger balance, int amount, List<String> log, String who) {
        return t -> {
            t.step("read");
            int seen = balance.get();
            log.add(who + " read " + seen);
            t.step("write");
            balance.set(seen - amount);
            log.add(who + " wrote " + (seen - amount));
            return seen - amount;
        };
    }

    @Test
    void forcedInterleavingReproducesALostUpdateEveryTime() {
        for (int run = 0; run < 20; run++) {
            AtomicInteger balance = new AtomicInteger(100);
            List<String> log = Collections.synchronizedList(new ArrayList<>());
            Interleaving.Result r = Race.interleave()
                    .actor("A", deduct(balance, 50, log, "A"))
                    .actor("B", deduct(balance, 30, log, "B"))
                    .order("A.read", "B.read", "A.write", "B.write")
                    .run();
            assertThat(r.steps()).containsExactly("A.read", "B.read", "A.write", "B.write");
            assertThat(log).containsExactly("A read 100", "B read 100", "A wrote 50", "B wrote 70");
            assertThat(balance.get()).as("B overwrote A's deduction").isEqualTo(70);
            assertThat(r.value("A")).isEqualTo(50);
        }
    }

    @Test
    void theOtherOrderIsSerialAndLosesNothing() {
        AtomicInteger balance = new AtomicInteger(100);
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        Race.interleave()
                .actor("A", deduct(balance, 50, log, "A"))
                .actor("B", deduct(balance, 30, log, "B"))
                .order("A.read", "A.write", "B.read", "B.write")
                .run();
        assertThat(balance.get()).isEqualTo(20);
    }

    @Test
    void stepsOfAnActorThatFailedAreSkipped() {
        Interleaving.Result r = Race.interleave()
                .actor("A", t -> {
                    t.step("one");
                    throw new IllegalStateException("boom");
                })
                .actor("B", t -> {
                    t.step("one");
                    t.step("two");
                    return "done";
                })
                .order("A.one", "B.one", "A.two", "B.two")
                .run();
        assertThat(r.steps()).containsExactly("A.one", "B.one", "B.two");
        assertThat(r.skipped()).containsExactly("A.two");
        assertThat(r.failure("A")).hasMessage("boom");
        assertThat(r.value("B")).isEqualTo("done");
        assertThatThrownBy(() -> r.value("A")).isInstanceOf(AssertionError.class).hasMessageContaining("boom");
    }

    @Test
    void aScriptThatDisagreesWithTheOrderFailsClearly() {
        Interleaving.Result r = Race.interleave()
                .actor("A", t -> {
                    t.step("write");
                    return null;
                })
                .order("A.read", "A.write")
                .run();
        assertThat(r.failure("A")).isInstanceOf(IllegalStateException.class).hasMessageContaining("expects A.read");
    }

    @Test
    void aStepBlockedInsideItsTurnIsReportedByTheWaitingActor() {
        CountDownLatch release = new CountDownLatch(1);
        Interleaving.Result r = Race.interleave()
                .actor("A", t -> {
                    t.step("hold");
                    release.await(5, TimeUnit.SECONDS); // like a statement waiting on B's row lock
                    return null;
                })
                .actor("B", t -> {
                    try {
                        t.step("next");
                        return null;
                    } finally {
                        release.countDown(); // B gives up, "rolls back", A can go on
                    }
                })
                .order("A.hold", "B.next")
                .timeout(Duration.ofMillis(300))
                .run();
        assertThat(r.failure("B")).isInstanceOf(AssertionError.class)
                .hasMessageContaining("B.next did not get its turn").hasMessageContaining("held by A.hold");
        assertThat(r.failure("A")).isNull();
    }
}
