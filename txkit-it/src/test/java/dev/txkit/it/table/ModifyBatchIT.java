package dev.txkit.it.table;

import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.it.DbIT;
import dev.txkit.spi.TxAttempt;
import dev.txkit.spi.TxListener;
import dev.txkit.table.Id;
import dev.txkit.table.Table;
import dev.txkit.table.TableName;
import dev.txkit.table.Version;
import dev.txkit.testing.DbKind;
import dev.txkit.testing.TcpProxy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The batch mechanics of {@code Table.modify}, with the interleaving forced: a first caller leads a
 * batch whose change waits on a latch, so the next callers queue behind it (seen parked in txkit's
 * combiner) and must form one batch. Then: a lost COMMIT reaches every caller of that batch; an
 * interrupted leader fails alone; {@code Database.close()} fails the queued callers instead of
 * leaving them hanging.
 */
class ModifyBatchIT extends DbIT {
    static final int FOLLOWERS = 9;

    @TableName("mb_wallet")
    record Wallet(@Id String id, long balance, @Version int version) {
        Wallet minus(long amount) {
            return new Wallet(id, balance - amount, version);
        }
    }

    private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    private final AtomicInteger commits = new AtomicInteger();
    private volatile Consumer<Integer> onCombined = n -> { };

    private final java.util.Map<DbKind, com.zaxxer.hikari.HikariDataSource> pools = new java.util.EnumMap<>(DbKind.class);

    /** The class's pool for {@code kind}, closed after the class. */
    private com.zaxxer.hikari.HikariDataSource pool(DbKind kind) {
        return pools.computeIfAbsent(kind, k -> closeLater(schema(k).newPool(4)));
    }

    private Database counted(javax.sql.DataSource pool) {
        return watch(Database.builder(pool).defaults(TxOptions.defaults().withTimeout(Duration.ofSeconds(30)))
                .listener(new TxListener() {
                    @Override
                    public void committed(TxAttempt attempt, Duration duration) {
                        commits.incrementAndGet();
                    }

                    @Override
                    public void combined(String table, int operations, Duration duration) {
                        batchSizes.add(operations);
                        onCombined.accept(operations);
                    }
                }).build());
    }

    @BeforeEach
    void table() {
        for (DbKind kind : available(DbKind.POSTGRES, DbKind.MARIADB, DbKind.H2)) {
            schema(kind).execute("DROP TABLE IF EXISTS mb_wallet",
                    "CREATE TABLE mb_wallet (id VARCHAR(10) PRIMARY KEY, balance BIGINT NOT NULL, version INT NOT NULL)",
                    "INSERT INTO mb_wallet VALUES ('w', 1000, 1)");
        }
        batchSizes.clear();
        commits.set(0);
        onCombined = n -> { };
    }

    /** A caller on its own thread; the future holds its result or its exception. */
    private static CompletableFuture<Wallet> call(String name, Table<Wallet> wallets, long amount,
                                                  CountDownLatch changeRunning, CountDownLatch release) {
        CompletableFuture<Wallet> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(wallets.modify("w", w -> {
                    if (changeRunning != null) {
                        changeRunning.countDown();
                        release.await(); // holds the batch (and the row lock) until the test lets go
                    }
                    return w.minus(amount);
                }));
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, name);
        t.start();
        return f;
    }

    /** Callers queued behind the leader: parked in txkit's combiner. */
    private static void awaitQueued(List<String> names) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (names.contains(t.getName())) {
                while (LockSupport.getBlocker(t) == null
                        || !LockSupport.getBlocker(t).getClass().getSimpleName().equals("Combiner")) {
                    Thread.onSpinWait();
                }
            }
        }
    }

    private static Throwable failure(CompletableFuture<?> f) throws Exception {
        try {
            f.get(30, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure");
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    /** Starts the leader (its change blocked) and the followers, queued behind it. */
    private List<CompletableFuture<Wallet>> leaderAndFollowers(Table<Wallet> wallets, String prefix,
                                                               CountDownLatch release) throws Exception {
        CountDownLatch leaderRunning = new CountDownLatch(1);
        List<CompletableFuture<Wallet>> calls = new ArrayList<>();
        calls.add(call(prefix + "-leader", wallets, 1, leaderRunning, release));
        assertThat(leaderRunning.await(30, TimeUnit.SECONDS)).isTrue();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < FOLLOWERS; i++) {
            names.add(prefix + "-" + i);
            calls.add(call(prefix + "-" + i, wallets, 1, null, null));
        }
        awaitQueued(names);
        return calls;
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB", "H2"})
    void callersQueuedBehindALeaderAreCombinedIntoOneTransaction(DbKind kind) throws Exception {
        Database db = counted(pool(kind));
        CountDownLatch release = new CountDownLatch(1);
        List<CompletableFuture<Wallet>> calls = leaderAndFollowers(db.table(Wallet.class), "combine", release);
        release.countDown();
        List<Long> balances = new ArrayList<>();
        for (CompletableFuture<Wallet> f : calls) {
            balances.add(f.get(30, TimeUnit.SECONDS).balance());
        }
        assertThat(batchSizes).containsExactly(1, FOLLOWERS);
        assertThat(commits).as("two transactions for ten changes").hasValue(2);
        assertThat(balances).doesNotHaveDuplicates().hasSize(FOLLOWERS + 1).contains(999L, 1000L - FOLLOWERS - 1);
        assertThat(db.table(Wallet.class).get("w")).isEqualTo(new Wallet("w", 1000 - FOLLOWERS - 1, 2 + FOLLOWERS));
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void aLostCommitReachesEveryCallerOfTheBatchAsCommitUnknown(DbKind kind) throws Exception {
        TcpProxy proxy = closeLater(TcpProxy.start(schema(kind)));
        Database db = counted(proxy.newPool(4));
        onCombined = n -> {
            if (n == 1) {
                proxy.arm(TcpProxy.Cut.AFTER_COMMIT); // the leader's batch is done: cut the next batch's COMMIT
            }
        };
        CountDownLatch release = new CountDownLatch(1);
        List<CompletableFuture<Wallet>> calls = leaderAndFollowers(db.table(Wallet.class), "cut-" + kind, release);
        int cutsBefore = proxy.cuts();
        release.countDown();
        assertThat(calls.get(0).get(30, TimeUnit.SECONDS).balance()).isEqualTo(999);
        List<Throwable> failures = new ArrayList<>();
        for (CompletableFuture<Wallet> f : calls.subList(1, calls.size())) {
            failures.add(failure(f));
        }
        assertThat(proxy.cuts() - cutsBefore).isEqualTo(1);
        assertThat(failures).hasSize(FOLLOWERS).allSatisfy(e -> {
            assertThat(e).isInstanceOf(TxkitException.class);
            assertThat(((TxkitException) e).code()).isEqualTo(ErrorCode.COMMIT_UNKNOWN);
        });
        assertThat(failures.stream().distinct()).as("the same error for every caller of the batch").hasSize(1);
        // All of the batch or none of it, never a part; and since the proxy forwarded that COMMIT, the server
        // finishes it (the cut connection's session may still be committing when we first look).
        Wallet before = new Wallet("w", 999, 2);
        Wallet after = new Wallet("w", 1000 - 1 - FOLLOWERS, 2 + FOLLOWERS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Wallet stored = db(kind).table(Wallet.class).get("w");
        while (!stored.equals(after) && System.nanoTime() < deadline) {
            assertThat(stored).isEqualTo(before);
            LockSupport.parkNanos(10_000_000);
            stored = db(kind).table(Wallet.class).get("w");
        }
        assertThat(stored).isEqualTo(after);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB", "H2"})
    void anInterruptedLeaderFailsAloneAndTheQueuedCallersAreStillServed(DbKind kind) throws Exception {
        Database db = counted(pool(kind));
        CountDownLatch never = new CountDownLatch(1);
        List<CompletableFuture<Wallet>> calls = leaderAndFollowers(db.table(Wallet.class), "intr-" + kind, never);
        Thread leader = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("intr-" + kind + "-leader")).findFirst().orElseThrow();
        leader.interrupt(); // its change is waiting on a latch that never opens
        assertThat(failure(calls.get(0))).isInstanceOf(InterruptedException.class);
        for (CompletableFuture<Wallet> f : calls.subList(1, calls.size())) {
            assertThat(f.get(30, TimeUnit.SECONDS)).isNotNull();
        }
        assertThat(db.table(Wallet.class).get("w").balance()).as("only the leader's change is missing")
                .isEqualTo(1000 - FOLLOWERS);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB", "H2"})
    void closingTheDatabaseFailsQueuedCallersAndTheRunningBatchWithClosed(DbKind kind) throws Exception {
        Database db = counted(pool(kind));
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<List<CompletableFuture<Wallet>>> calls = new AtomicReference<>(
                leaderAndFollowers(db.table(Wallet.class), "close-" + kind, release));
        db.close();
        for (CompletableFuture<Wallet> f : calls.get().subList(1, calls.get().size())) {
            Throwable e = failure(f);
            assertThat(e).isInstanceOf(TxkitException.class);
            assertThat(((TxkitException) e).code()).isEqualTo(ErrorCode.CLOSED);
        }
        release.countDown();
        // closing also ends the transactions still open, the leader's batch among them: nothing was written
        Throwable leader = failure(calls.get().get(0));
        assertThat(((TxkitException) leader).code()).isEqualTo(ErrorCode.CLOSED);
        assertThat(db(kind).table(Wallet.class).get("w")).isEqualTo(new Wallet("w", 1000, 1));
    }
}
