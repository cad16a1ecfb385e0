package dev.txkit.it.bank;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * One phase of load: {@code clients} threads submit random transfers for {@code length} (at most
 * {@code maxOps} operations), an auditor reads the total meanwhile, and an injector fires the
 * phase's fault every period until the clients are done. Everything starts from one latch and stops
 * by itself: clients stop taking new operations at the deadline, the auditor and injector stop when
 * the last client is done, and the whole phase must end within {@code length + budget + 10 s}.
 *
 * <p>With {@code copies > 1} each operation is submitted 2 to {@code copies} times, by different
 * clients released together by a barrier (concurrent duplicates of one idempotency key).
 *
 * <p>Not thread-safe: {@link #run} once.
 */
final class Workload {
    /** One submission and how it ended. */
    record Record(Op op, Outcome outcome) {
    }

    /** What the auditor saw: how many totals it read, which were wrong, how its reads failed. */
    record Audit(int reads, List<Long> wrongTotals, Map<ErrorCode, Integer> failures, List<Throwable> foreign) {
    }

    /** Everything one phase produced. */
    record Result(List<Record> records, Audit audit, int faultsFired, List<Throwable> injectorErrors, Duration elapsed) {
    }

    private static final int CLIENTS = 16;

    private final String prefix;
    private final Strategy strategy;
    private final CommitUnknownWatch watch;
    private final LongSupplier auditor;
    private final Fault fault;
    private final Duration length;
    private final Duration budget;
    private final int maxOps;
    private final int copies;

    Workload(String prefix, Strategy strategy, CommitUnknownWatch watch, LongSupplier auditor, Fault fault,
             Duration length, Duration budget, int maxOps, int copies) {
        this.prefix = prefix;
        this.strategy = strategy;
        this.watch = watch;
        this.auditor = auditor;
        this.fault = fault;
        this.length = length;
        this.budget = budget;
        this.maxOps = maxOps;
        this.copies = copies;
    }

    Result run() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(CLIENTS + 2);
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch clientsDone = new CountDownLatch(CLIENTS);
        Queue<Record> records = new ConcurrentLinkedQueue<>();
        Dispatcher dispatcher = new Dispatcher();
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            futures.add(threads.submit(() -> {
                try {
                    start.await();
                    for (Dispatcher.Submission s = dispatcher.next(); s != null; s = dispatcher.next()) {
                        awaitCopies(s.together());
                        Op op = s.op();
                        records.add(new Record(op, Outcome.of(() -> strategy.transfer().submit(op), watch)));
                    }
                } finally {
                    clientsDone.countDown();
                }
                return null;
            }));
        }
        AuditLoop audit = new AuditLoop();
        futures.add(threads.submit(() -> audit.run(start, clientsDone)));
        List<Throwable> injectorErrors = new CopyOnWriteArrayList<>();
        futures.add(threads.submit(() -> {
            start.await();
            while (!clientsDone.await(fault.period().toMillis(), TimeUnit.MILLISECONDS)) {
                try {
                    fault.fire();
                } catch (Exception e) {
                    injectorErrors.add(e);
                }
            }
            return null;
        }));
        long t0 = System.nanoTime();
        dispatcher.deadline = t0 + length.toNanos();
        start.countDown();
        threads.shutdown();
        if (!threads.awaitTermination(length.plus(budget).toSeconds() + 10, TimeUnit.SECONDS)) {
            threads.shutdownNow();
            throw new AssertionError("phase " + prefix + " did not end within its time and retry budget");
        }
        for (Future<?> f : futures) {
            f.get(); // a harness thread that died is a test failure, not a quiet gap in the records
        }
        return new Result(List.copyOf(records), audit.result(), fault.fired(), injectorErrors,
                Duration.ofNanos(System.nanoTime() - t0));
    }

    /** Releases all copies of one operation at once; a copy that does not come in time is not waited for. */
    private static void awaitCopies(CyclicBarrier together) throws InterruptedException {
        if (together == null) {
            return;
        }
        try {
            together.await(10, TimeUnit.SECONDS);
        } catch (BrokenBarrierException | TimeoutException late) {
            // the copies then run less concurrently; the checks do not depend on it
        }
    }

    /** Hands out submissions; after the deadline only the remaining copies of operations already begun. */
    private final class Dispatcher {
        record Submission(Op op, CyclicBarrier together) {
        }

        private final Queue<Submission> pending = new ArrayDeque<>();
        private int created;
        volatile long deadline;

        synchronized Submission next() {
            if (pending.isEmpty() && System.nanoTime() < deadline && created < maxOps) {
                ThreadLocalRandom r = ThreadLocalRandom.current();
                int from = 1 + r.nextInt(BankSchema.ACCOUNTS);
                int to = 1 + (from + r.nextInt(BankSchema.ACCOUNTS - 1)) % BankSchema.ACCOUNTS;
                Op op = new Op(prefix + "-" + created++, from, to, 1 + r.nextInt(100));
                int n = copies == 1 ? 1 : 2 + r.nextInt(copies - 1);
                CyclicBarrier together = n == 1 ? null : new CyclicBarrier(n);
                for (int i = 0; i < n; i++) {
                    pending.add(new Submission(op, together));
                }
            }
            return pending.poll();
        }
    }

    /** Reads the total again and again (20 ms apart) until the clients are done. */
    private final class AuditLoop {
        private final AtomicInteger reads = new AtomicInteger();
        private final List<Long> wrong = new CopyOnWriteArrayList<>();
        private final Map<ErrorCode, Integer> failures = new ConcurrentHashMap<>();
        private final List<Throwable> foreign = new CopyOnWriteArrayList<>();

        Void run(CountDownLatch start, CountDownLatch clientsDone) throws InterruptedException {
            start.await();
            do {
                try {
                    long total = auditor.getAsLong();
                    reads.incrementAndGet();
                    if (total != BankSchema.TOTAL) {
                        wrong.add(total);
                    }
                } catch (TxkitException e) {
                    failures.merge(e.code(), 1, Integer::sum);
                } catch (RuntimeException e) {
                    foreign.add(e);
                }
            } while (!clientsDone.await(20, TimeUnit.MILLISECONDS));
            return null;
        }

        Audit result() {
            return new Audit(reads.get(), List.copyOf(wrong), Map.copyOf(failures), List.copyOf(foreign));
        }
    }
}
