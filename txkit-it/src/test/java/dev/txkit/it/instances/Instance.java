package dev.txkit.it.instances;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.txkit.Database;
import dev.txkit.IdempotencyKey;
import dev.txkit.ResultCodec;
import dev.txkit.TxkitException;
import dev.txkit.retry.RetryPolicy;
import dev.txkit.table.Id;
import dev.txkit.table.Table;
import dev.txkit.table.Version;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One application instance of {@link InstancesIT}, run as its own JVM: a txkit Database over its
 * own pool, {@value #THREADS} threads doing random transfers (each with a ledger row keyed by its
 * operation id), optimistic and {@code Table.modify} deductions from one hot wallet, and the shared idempotency keys that
 * every instance submits too. It writes what it had acknowledged to a file and what failed to
 * stdout, and exits 0 when nothing failed.
 *
 * <p>Arguments: jdbcUrl user password instance seconds sharedKeys outputFile
 */
public final class Instance {
    static final int THREADS = 4;
    static final int ACCOUNTS = 20;

    record Wallet(@Id String id, long balance, @Version int version) {
    }

    private Instance() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int instance = Integer.parseInt(args[3]);
        long seconds = Long.parseLong(args[4]);
        int sharedKeys = Integer.parseInt(args[5]);
        Path output = Path.of(args[6]);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(args[1]);
        config.setPassword(args[2]);
        config.setMaximumPoolSize(THREADS + 1);
        Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
        List<String> acknowledged = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger deductions = new AtomicInteger();
        try (HikariDataSource pool = new HikariDataSource(config); Database db = Database.create(pool)) {
            ExecutorService threads = Executors.newFixedThreadPool(THREADS);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                work.add(threads.submit(() -> {
                    SplittableRandom random = new SplittableRandom(instance * 1_000 + thread);
                    start.await();
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
                    for (int op = 0; System.nanoTime() < end; op++) {
                        try {
                            switch (op % 4) {
                                case 0 -> {
                                    String id = "i" + instance + "-t" + thread + "-" + op;
                                    int from = 1 + random.nextInt(ACCOUNTS);
                                    int to = 1 + (from + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
                                    if (transfer(db, id, from, to, 1 + random.nextInt(20))) {
                                        acknowledged.add(id);
                                    }
                                }
                                case 1 -> {
                                    db.optimistic(RetryPolicy.defaults(), tx -> {
                                        Table<Wallet> wallets = tx.table(Wallet.class);
                                        Wallet w = wallets.get("hot");
                                        return wallets.update(new Wallet(w.id(), w.balance() - 1, w.version()));
                                    });
                                    deductions.incrementAndGet();
                                }
                                case 2 -> {
                                    // Combined inside this JVM, collides with the other instances' batches.
                                    db.table(Wallet.class).modify("hot", w -> new Wallet(w.id(), w.balance() - 1, w.version()));
                                    deductions.incrementAndGet();
                                }
                                default -> {
                                    // The same keys from every instance, in a different order each.
                                    int k = (op / 4 * THREADS + thread + instance * 37) % sharedKeys;
                                    transfer(db, "shared-" + k, 1 + k % ACCOUNTS, 1 + (k + 1) % ACCOUNTS, 1);
                                }
                            }
                        } catch (TxkitException e) {
                            failures.computeIfAbsent(e.code().name(), c -> new AtomicInteger()).incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : work) {
                f.get();
            }
            threads.shutdown();
        }
        List<String> lines = new ArrayList<>(acknowledged);
        lines.add("#deductions " + deductions.get());
        Files.write(output, lines);
        Map<String, Integer> sorted = new TreeMap<>();
        failures.forEach((k, v) -> sorted.put(k, v.get()));
        PrintStream out = System.out;
        out.println("instance " + instance + ": " + acknowledged.size() + " transfers, " + deductions.get()
                + " deductions, failures " + sorted);
        System.exit(sorted.isEmpty() ? 0 : 1);
    }

    /** Ordered row locks + a ledger row, under an idempotency key equal to the operation id. */
    static boolean transfer(Database db, String id, int from, int to, long amount) {
        return db.idempotent(IdempotencyKey.of(id), ResultCodec.booleans(), tx -> {
            long first = tx.sql("SELECT balance FROM account WHERE id = ? FOR UPDATE", Math.min(from, to)).one(Long.class);
            long second = tx.sql("SELECT balance FROM account WHERE id = ? FOR UPDATE", Math.max(from, to)).one(Long.class);
            long balance = from < to ? first : second;
            if (balance < amount) {
                return false;
            }
            tx.sql("UPDATE account SET balance = balance - ? WHERE id = ?", amount, from).update();
            tx.sql("UPDATE account SET balance = balance + ? WHERE id = ?", amount, to).update();
            tx.sql("INSERT INTO ledger (op, amount) VALUES (?, ?)", id, amount).update();
            return true;
        });
    }
}
