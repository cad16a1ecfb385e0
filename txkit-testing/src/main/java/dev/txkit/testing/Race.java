package dev.txkit.testing;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Runs database operations against each other, for tests that must show what happens under
 * concurrency:
 * <ul>
 *   <li>{@link #run(int, Task)}: N operations on N threads, released together from one start barrier,
 *       every result and failure collected ({@code 100 bookers for 10 seats});</li>
 *   <li>{@link #interleave()}: a forced step-by-step order ({@code A.read, B.read, A.write, B.write}), so a
 *       lost update or double booking is reproduced every time instead of by timing luck.</li>
 * </ul>
 * Static methods; thread-safe. Threads are daemons and are interrupted if they outlive the timeout.
 *
 * <p>The operations run on their own threads, outside any transaction of the calling test, and
 * commit for real; under {@link TxkitExtension} a test that races must be {@link NoRollback} and
 * the extension needs {@link TxkitExtension#cleanUp(String...)} statements (it fails the test
 * otherwise, saying so).
 */
public final class Race {
    /** How long {@link #run(int, Task)} waits for all operations by default. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /** Races started by each test thread, so {@link TxkitExtension} can tell a test that ran one. */
    private static final ThreadLocal<int[]> STARTED = ThreadLocal.withInitial(() -> new int[1]);

    private Race() {
    }

    static void started() {
        STARTED.get()[0]++;
    }

    /** How many races (run or interleave) the calling thread has started so far. */
    static int startedOnThisThread() {
        return STARTED.get()[0];
    }

    /**
     * One operation of a race.
     *
     * @param <R> the operation's result type
     */
    @FunctionalInterface
    public interface Task<R> {
        /**
         * Runs one copy of the operation, on its own thread.
         *
         * @param index which copy, 0 … n-1
         * @return the operation's value
         * @throws Exception any failure; it is kept as the copy's {@link Outcome}
         */
        R run(int index) throws Exception;
    }

    /**
     * Runs {@code n} copies of {@code task} concurrently from one start barrier, waiting up to 60 s
     * (see {@link #run(int, Duration, Task)}).
     *
     * @param <R> the operation's result type
     * @param n how many copies, at least 1
     * @param task the operation
     * @return the outcomes, in index order
     */
    public static <R> Result<R> run(int n, Task<R> task) {
        return run(n, DEFAULT_TIMEOUT, task);
    }

    /**
     * Runs {@code n} copies of {@code task}, each on its own thread; all threads are started and wait
     * at a barrier, then are released at once. Returns when all have finished.
     *
     * @param <R> the operation's result type
     * @param n how many copies, at least 1
     * @param timeout how long to wait for all of them; positive
     * @param task the operation
     * @return the outcomes, in index order
     * @throws TxkitException {@link ErrorCode#INVALID_ARGUMENT} for n below 1, a null or non-positive timeout
     *         or a null task
     * @throws AssertionError when some have not finished within {@code timeout} (they are interrupted)
     */
    public static <R> Result<R> run(int n, Duration timeout, Task<R> task) {
        started();
        if (n < 1 || timeout == null || timeout.isNegative() || timeout.isZero() || task == null) {
            throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "Race.run needs n >= 1, a positive timeout and a"
                    + " task; got n=" + n + ", timeout=" + timeout + ", task=" + task);
        }
        AtomicReferenceArray<Outcome<R>> outcomes = new AtomicReferenceArray<>(n);
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int index = i;
            Thread t = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                    outcomes.set(index, new Outcome<>(index, task.run(index), null));
                } catch (Throwable e) {
                    outcomes.set(index, new Outcome<>(index, null, e));
                }
            }, "race-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!ready.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new AssertionError("only " + (n - ready.getCount()) + " of " + n + " race threads started");
            }
            go.countDown();
            for (Thread t : threads) {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            threads.forEach(Thread::interrupt);
            throw new AssertionError("interrupted while waiting for the race", e);
        }
        List<String> stuck = new ArrayList<>();
        for (Thread t : threads) {
            if (t.isAlive()) {
                stuck.add(t.getName());
                t.interrupt();
            }
        }
        if (!stuck.isEmpty()) {
            throw new AssertionError(stuck.size() + " of " + n + " operations did not finish within "
                    + timeout.toMillis() + " ms (blocked on a lock or a pool?): " + stuck);
        }
        List<Outcome<R>> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(outcomes.get(i));
        }
        return new Result<>(list);
    }

    /** {@return a new forced interleaving: add actors and an order, then {@link Interleaving#run()}} */
    public static Interleaving interleave() {
        return new Interleaving();
    }

    /**
     * How one operation ended: a value, or a failure.
     *
     * @param <R> the operation's result type
     * @param index which copy, 0 … n-1
     * @param value what it returned, or {@code null} if it failed
     * @param failure what it threw, or {@code null} if it succeeded
     */
    public record Outcome<R>(int index, R value, Throwable failure) {
        /** {@return whether the operation returned normally} */
        public boolean succeeded() {
            return failure == null;
        }

        /** {@return the failure's txkit code, or {@code null} if it succeeded or failed otherwise} */
        public ErrorCode code() {
            return failure instanceof TxkitException ? ((TxkitException) failure).code() : null;
        }
    }

    /**
     * The outcomes of a race, in task order. Immutable.
     *
     * @param <R> the operations' result type
     */
    public static final class Result<R> {
        private final List<Outcome<R>> outcomes;

        Result(List<Outcome<R>> outcomes) {
            this.outcomes = Collections.unmodifiableList(outcomes);
        }

        /** {@return every operation's outcome, in index order} */
        public List<Outcome<R>> outcomes() {
            return outcomes;
        }

        /** {@return the values of the operations that succeeded, in index order} */
        public List<R> values() {
            List<R> out = new ArrayList<>();
            outcomes.stream().filter(Outcome::succeeded).forEach(o -> out.add(o.value()));
            return out;
        }

        /** {@return the failures, in index order} */
        public List<Throwable> failures() {
            List<Throwable> out = new ArrayList<>();
            outcomes.stream().filter(o -> !o.succeeded()).forEach(o -> out.add(o.failure()));
            return out;
        }

        /** {@return how many operations returned normally} */
        public int successes() {
            return (int) outcomes.stream().filter(Outcome::succeeded).count();
        }

        /**
         * Counts failures by txkit code.
         *
         * @param code the code
         * @return how many failed with a {@link TxkitException} of {@code code}
         */
        public int failuresWith(ErrorCode code) {
            return (int) outcomes.stream().filter(o -> o.code() == code).count();
        }

        /**
         * Counts failures by exception type.
         *
         * @param type the exception type
         * @return how many failed with an exception of {@code type} (or a subtype)
         */
        public int failuresOf(Class<? extends Throwable> type) {
            return (int) outcomes.stream().filter(o -> type.isInstance(o.failure())).count();
        }

        @Override
        public String toString() {
            return "Race.Result[" + successes() + " succeeded, " + (outcomes.size() - successes()) + " failed]";
        }
    }
}
