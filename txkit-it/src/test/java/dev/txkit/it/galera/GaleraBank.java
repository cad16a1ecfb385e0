package dev.txkit.it.galera;

import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.IdempotencyKey;
import dev.txkit.ResultCodec;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The bank workload across the cluster: {@value #ACCOUNTS} accounts, clients spread over the
 * nodes (one txkit {@link Database} per client group), each transfer locks both rows in id
 * order, moves an amount if the balance allows, and writes a ledger row keyed by the client's
 * operation id; every transfer runs under an idempotency key equal to that id, so an unknown
 * commit outcome is resolved without a double apply. An auditor reads the total while it runs.
 */
final class GaleraBank {
    static final int ACCOUNTS = 20;
    static final long INITIAL = 1_000;

    /** Outcome of one run. */
    record Result(Set<String> acknowledged, Map<ErrorCode, Integer> failures, Map<ErrorCode, Integer> retries,
                  int commitUnknownResolved, long maxLatencyMillis, List<Long> auditedTotals, int audits,
                  List<String> firstFailureMessages, int deepestRetry, List<Unknown> unresolved) {
    }

    /** A transfer whose outcome was still unknown when its client stopped resolving it (a cluster-wide outage). */
    record Unknown(String id, int from, int to, long amount) {
    }

    private GaleraBank() {
    }

    static void create(String database) {
        StringBuilder rows = new StringBuilder();
        for (int i = 1; i <= ACCOUNTS; i++) {
            rows.append(i > 1 ? "," : "").append('(').append(i).append(',').append(INITIAL).append(')');
        }
        Galera.execute(0, database,
                "DROP TABLE IF EXISTS ledger", "DROP TABLE IF EXISTS account",
                "CREATE TABLE account (id INT PRIMARY KEY, balance BIGINT NOT NULL)",
                "CREATE TABLE ledger (op VARCHAR(64) PRIMARY KEY, src INT NOT NULL, dst INT NOT NULL, amount BIGINT NOT NULL)",
                "INSERT INTO account VALUES " + rows);
    }

    /**
     * Runs transfers on {@code clients} threads for {@code seconds}; client {@code i} uses
     * {@code dbs.get(i % dbs.size())}. {@code midRun} runs once on its own thread after
     * {@code midRunAfter} acknowledged transfers (e.g. kill a node), while the clients go on.
     */
    static Result run(List<Database> dbs, int clients, long seconds, TxOptions options,
                      int midRunAfter, Runnable midRun) throws Exception {
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Map<ErrorCode, AtomicInteger> failures = new ConcurrentHashMap<>();
        Map<ErrorCode, AtomicInteger> retries = new ConcurrentHashMap<>();
        AtomicInteger resolved = new AtomicInteger();
        AtomicLong maxLatency = new AtomicLong();
        LongAdder count = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch midRunDue = new CountDownLatch(midRunAfter > 0 ? 1 : 0);
        List<Long> totals = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicInteger audits = new AtomicInteger();
        AtomicInteger deepestRetry = new AtomicInteger();
        List<String> failureMessages = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Unknown> unresolved = new java.util.concurrent.CopyOnWriteArrayList<>();
        TxOptions counted = options.withRetry(options.retry().toBuilder()
                .onRetry((n, delay, f) -> {
                    retries.computeIfAbsent(f.code(), c -> new AtomicInteger()).incrementAndGet();
                    deepestRetry.accumulateAndGet(n, Math::max);
                })
                .build());

        // Idempotency keys outlive a run (the keys table stays): each run gets its own key space.
        String run = Long.toHexString(System.nanoTime());
        ExecutorService pool = Executors.newFixedThreadPool(clients + 2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> work = new java.util.ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                Database db = dbs.get(client % dbs.size());
                work.add(pool.submit(() -> {
                    SplittableRandom random = new SplittableRandom(client * 7919L);
                    start.await();
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
                    for (int op = 0; !stop.get() && System.nanoTime() < end; op++) {
                        String id = run + "-c" + client + "-" + op;
                        int from = 1 + random.nextInt(ACCOUNTS);
                        int to = 1 + random.nextInt(ACCOUNTS - 1);
                        to = to >= from ? to + 1 : to;
                        long amount = 1 + random.nextInt(50);
                        long t0 = System.nanoTime();
                        try {
                            transfer(db, counted, id, from, to, amount);
                            acknowledged.add(id);
                            count.increment();
                            if (count.sum() == midRunAfter) {
                                midRunDue.countDown();
                            }
                        } catch (TxkitException e) {
                            if (e.code() == ErrorCode.COMMIT_UNKNOWN) {
                                // The outcome is unknown: submit the same key again until it
                                // resolves; the key makes sure it applies at most once. Past the
                                // run's end plus 30 s (no primary component anywhere) it is left
                                // for settle() once the cluster is whole again.
                                if (resolve(db, counted, id, from, to, amount, end + TimeUnit.SECONDS.toNanos(30))) {
                                    acknowledged.add(id);
                                } else {
                                    unresolved.add(new Unknown(id, from, to, amount));
                                }
                                resolved.incrementAndGet();
                            } else {
                                failures.computeIfAbsent(e.code(), k -> new AtomicInteger()).incrementAndGet();
                                // the first two of each code, so a rare code is never crowded out
                                if (failures.get(e.code()).get() <= 2) {
                                    failureMessages.add(e.getClass().getSimpleName() + ": " + e.getMessage()
                                            + (e.getCause() == null ? "" : " [cause " + e.getCause() + "]"));
                                }
                            }
                        }
                        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                        if (took > 8_000) {
                            System.out.printf("galera bank: transfer %s took %d ms%n", id, took);
                        }
                        maxLatency.accumulateAndGet(took, Math::max);
                    }
                    return null;
                }));
            }
            Future<?> auditor = pool.submit(() -> {
                start.await();
                Database db = dbs.get(0);
                while (!stop.get()) {
                    try {
                        // A locking read: a plain REPEATABLE READ snapshot on MariaDB can show
                        // read skew; shared locks make the total consistent on the node read.
                        totals.add(db.inTransaction(tx -> tx.sql("SELECT SUM(balance) FROM account LOCK IN SHARE MODE").one(Long.class)));
                        audits.incrementAndGet();
                    } catch (TxkitException e) {
                        // an audit that loses a conflict or meets a failover proves nothing either way
                    }
                }
                return null;
            });
            Future<?> disturbance = midRunAfter > 0 ? pool.submit(() -> {
                if (midRunDue.await(seconds, TimeUnit.SECONDS)) {
                    midRun.run();
                }
                return null;
            }) : null;
            start.countDown();
            for (Future<?> f : work) {
                f.get(seconds + 180, TimeUnit.SECONDS);
            }
            stop.set(true);
            auditor.get(60, TimeUnit.SECONDS);
            if (disturbance != null) {
                disturbance.get(240, TimeUnit.SECONDS);
            }
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
        return new Result(acknowledged, snapshot(failures), snapshot(retries), resolved.get(), maxLatency.get(),
                totals, audits.get(), List.copyOf(failureMessages), deepestRetry.get(), List.copyOf(unresolved));
    }

    /**
     * Resolves what the clients left unknown, on {@code db} once the cluster is whole again: the
     * result with each such transfer acknowledged once a re-submission under its key returns.
     */
    static Result settle(Database db, TxOptions options, Result r) {
        if (r.unresolved().isEmpty()) {
            return r;
        }
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        acknowledged.addAll(r.acknowledged());
        List<Unknown> still = new java.util.ArrayList<>();
        for (Unknown u : r.unresolved()) {
            if (resolve(db, options, u.id(), u.from(), u.to(), u.amount(), System.nanoTime() + TimeUnit.SECONDS.toNanos(60))) {
                acknowledged.add(u.id());
            } else {
                still.add(u);
            }
        }
        return new Result(acknowledged, r.failures(), r.retries(), r.commitUnknownResolved(), r.maxLatencyMillis(),
                r.auditedTotals(), r.audits(), r.firstFailureMessages(), r.deepestRetry(), List.copyOf(still));
    }

    private static Map<ErrorCode, Integer> snapshot(Map<ErrorCode, AtomicInteger> counts) {
        Map<ErrorCode, Integer> out = new java.util.TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    private static void transfer(Database db, TxOptions options, String id, int from, int to, long amount) {
        db.idempotent(options, IdempotencyKey.of(id), ResultCodec.booleans(), tx -> {
            int first = Math.min(from, to);
            int second = Math.max(from, to);
            long a = tx.sql("SELECT balance FROM account WHERE id = ? FOR UPDATE", first).one(Long.class);
            long b = tx.sql("SELECT balance FROM account WHERE id = ? FOR UPDATE", second).one(Long.class);
            long fromBalance = from == first ? a : b;
            if (fromBalance < amount) {
                amount0(tx, id, from, to);
                return false;
            }
            tx.sql("UPDATE account SET balance = balance - ? WHERE id = ?", amount, from).update();
            tx.sql("UPDATE account SET balance = balance + ? WHERE id = ?", amount, to).update();
            tx.sql("INSERT INTO ledger VALUES (?, ?, ?, ?)", id, from, to, amount).update();
            return true;
        });
    }

    /** A refused transfer still gets a ledger row (amount 0), so every acknowledged id has one. */
    private static void amount0(dev.txkit.Transaction tx, String id, int from, int to) {
        tx.sql("INSERT INTO ledger VALUES (?, ?, ?, 0)", id, from, to).update();
    }

    /**
     * Re-submits {@code id} under its key until it returns (then it is applied exactly once, by the
     * first attempt or by this one): true; false when it still has not by {@code deadline} (nanoTime).
     * A failed re-submission committed nothing but says nothing about the first attempt, so any
     * failure is tried again.
     */
    private static boolean resolve(Database db, TxOptions options, String id, int from, int to, long amount, long deadline) {
        while (System.nanoTime() - deadline < 0) {
            try {
                transfer(db, options, id, from, to, amount);
                return true;
            } catch (TxkitException e) {
                // unknown again, or failed before COMMIT: try again
            }
        }
        return false;
    }
}
