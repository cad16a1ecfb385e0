package dev.txkit.internal.contention;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** Leader hand-over, batch forming and the no-hang rules of {@link Combiner}, without a database. */
class CombinerTest {
    private final Combiner combiner = new Combiner();
    private final List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());

    private static final class Op extends CombinedOp {
        final String name;

        Op(String name) {
            this.name = name;
        }
    }

    /** Runs {@code name}'s op on its own thread; the future ends with the op once it has an outcome. */
    private CompletableFuture<Op> submit(String name, Consumer<List<Op>> runner) {
        CompletableFuture<Op> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            Op op = new Op(name);
            try {
                combiner.submit("row", op, 3, runner);
                f.complete(op);
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, name);
        t.start();
        return f;
    }

    private Consumer<List<Op>> recording(CountDownLatch firstBatchRunning, CountDownLatch releaseFirst) {
        return ops -> {
            recordHoldingTheFirst(ops, firstBatchRunning, releaseFirst);
            ops.forEach(o -> o.complete("done " + o.name));
        };
    }

    /**
     * Records the batch's names; the first batch says it is running and waits for {@code releaseFirst}.
     * Returns whether this was the first batch.
     */
    private boolean recordHoldingTheFirst(List<Op> ops, CountDownLatch firstBatchRunning, CountDownLatch releaseFirst) {
        List<String> names = new ArrayList<>();
        ops.forEach(o -> names.add(o.name));
        batches.add(names);
        if (batches.size() != 1) {
            return false;
        }
        firstBatchRunning.countDown();
        try {
            releaseFirst.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return true;
    }

    /** Waits until {@code n} threads are parked in the combiner (queued behind a leader). */
    private static void awaitParked(List<Thread> threads) {
        for (Thread t : threads) {
            while (!(LockSupport.getBlocker(t) instanceof Combiner)) {
                Thread.onSpinWait();
            }
        }
    }

    private static List<Thread> threads(String... names) {
        List<Thread> out = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            for (String n : names) {
                if (t.getName().equals(n)) {
                    out.add(t);
                }
            }
        }
        assertThat(out).hasSize(names.length);
        return out;
    }

    @Test
    void callersArrivingWhileABatchRunsFormTheNextBatchInArrivalOrderUpToTheCap() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Consumer<List<Op>> runner = recording(running, release);
        CompletableFuture<Op> a = submit("a", runner);
        running.await();
        List<CompletableFuture<Op>> rest = new ArrayList<>();
        for (String n : List.of("b", "c", "d", "e")) {
            rest.add(submit(n, runner));
            awaitParked(threads(n)); // one after the other, so the arrival order is fixed
        }
        release.countDown();
        assertThat(a.get(5, TimeUnit.SECONDS).value()).isEqualTo("done a");
        for (CompletableFuture<Op> f : rest) {
            assertThat(f.get(5, TimeUnit.SECONDS).failure()).isNull();
        }
        assertThat(batches).containsExactly(List.of("a"), List.of("b", "c", "d"), List.of("e"));
    }

    @Test
    void aRunnerThatThrowsFailsEveryOperationOfItsBatchAndTheLaneCarriesOn() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        IllegalStateException boom = new IllegalStateException("leader died");
        Consumer<List<Op>> runner = ops -> {
            batches.add(List.of());
            if (batches.size() == 1) {
                running.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                ops.forEach(o -> o.complete("ok"));
            } else if (batches.size() == 2) {
                throw boom;
            } else {
                ops.forEach(o -> o.complete("ok"));
            }
        };
        CompletableFuture<Op> a = submit("a", runner);
        running.await();
        CompletableFuture<Op> b = submit("b", runner);
        CompletableFuture<Op> c = submit("c", runner);
        awaitParked(threads("b", "c"));
        release.countDown();
        assertThat(a.get(5, TimeUnit.SECONDS).failure()).isNull();
        assertThat(b.get(5, TimeUnit.SECONDS).failure()).isSameAs(boom);
        assertThat(c.get(5, TimeUnit.SECONDS).failure()).isSameAs(boom);
        assertThat(submit("d", runner).get(5, TimeUnit.SECONDS).value()).isEqualTo("ok");
    }

    @Test
    void anInterruptedQueuedCallerWithdrawsAndTheOthersAreServed() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Consumer<List<Op>> runner = recording(running, release);
        CompletableFuture<Op> a = submit("a", runner);
        running.await();
        CompletableFuture<Op> b = submit("b", runner);
        CompletableFuture<Op> c = submit("c", runner);
        List<Thread> waiting = threads("b", "c");
        awaitParked(waiting);
        waiting.stream().filter(t -> t.getName().equals("b")).findFirst().orElseThrow().interrupt();
        Op withdrawn = b.get(5, TimeUnit.SECONDS);
        assertThat(((TxkitException) withdrawn.failure()).code()).isEqualTo(ErrorCode.CLOSED);
        assertThat(withdrawn.failure()).hasMessageContaining("interrupted").hasMessageContaining("nothing of it");
        release.countDown();
        assertThat(a.get(5, TimeUnit.SECONDS).failure()).isNull();
        assertThat(c.get(5, TimeUnit.SECONDS).value()).isEqualTo("done c");
        assertThat(batches).containsExactly(List.of("a"), List.of("c"));
    }

    @Test
    void closeFailsQueuedCallersWithClosedWhileTheRunningBatchFinishes() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Consumer<List<Op>> runner = recording(running, release);
        CompletableFuture<Op> a = submit("a", runner);
        running.await();
        CompletableFuture<Op> b = submit("b", runner);
        awaitParked(threads("b"));
        combiner.close();
        assertThat(((TxkitException) b.get(5, TimeUnit.SECONDS).failure()).code()).isEqualTo(ErrorCode.CLOSED);
        release.countDown();
        assertThat(a.get(5, TimeUnit.SECONDS).value()).isEqualTo("done a");
    }

    @Test
    void operationsLeftWithoutAnOutcomeAreQueuedAgainAloneAndALoneOneAlwaysEnds() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Consumer<List<Op>> runner = ops -> {
            if (recordHoldingTheFirst(ops, running, release)) {
                ops.forEach(o -> o.complete("ok"));
            } else if (ops.size() > 1) {
                ops.forEach(CombinedOp::retryAlone); // e.g. a constraint violation: find whose it is
            } else if (!ops.get(0).name.equals("c")) {
                ops.get(0).complete("alone");
            } // "c" is left without an outcome even alone: it must fail, not loop
        };
        CompletableFuture<Op> a = submit("a", runner);
        running.await();
        CompletableFuture<Op> b = submit("b", runner);
        awaitParked(threads("b"));
        CompletableFuture<Op> c = submit("c", runner);
        awaitParked(threads("c"));
        release.countDown();
        assertThat(a.get(5, TimeUnit.SECONDS).value()).isEqualTo("ok");
        assertThat(b.get(5, TimeUnit.SECONDS).value()).isEqualTo("alone");
        assertThat(c.get(5, TimeUnit.SECONDS).failure()).isInstanceOf(TxkitException.class);
        assertThat(batches).containsExactly(List.of("a"), List.of("b", "c"), List.of("b"), List.of("c"));
    }
}
