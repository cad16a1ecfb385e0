package dev.txkit.it;

import com.zaxxer.hikari.HikariDataSource;
import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.Isolation;
import dev.txkit.KeyContention;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.retry.RetryPolicy;
import dev.txkit.testing.DbKind;
import dev.txkit.testing.Race;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Contention control learns the rows a call site collides on from the first statement of its transactions
 * (issue 14): once a call site collides, a row that keeps colliding gets a limit of its own, its transactions
 * wait for that row's turn — starting again from the callback, holding no connection, not as a new attempt —
 * while the same call site's transactions on other rows run on.
 */
class RowKeyIT extends DbIT {
    private static final long START = 1_000_000;

    @BeforeEach
    void wallets() {
        for (DbKind kind : available(DbKind.POSTGRES, DbKind.MARIADB)) {
            StringBuilder rows = new StringBuilder("INSERT INTO rk_wallet VALUES ('w-hot', " + START + "), ('w-cold', "
                    + START + ")");
            for (int i = 0; i < 20; i++) {
                rows.append(", ('a").append(i).append("', ").append(START).append(")");
            }
            schema(kind).execute("DROP TABLE IF EXISTS rk_wallet",
                    "CREATE TABLE rk_wallet (id VARCHAR(10) PRIMARY KEY, balance BIGINT NOT NULL)", rows.toString());
        }
    }

    /**
     * The one call site of this test: deducts 1 from {@code id}, reading it with {@code read}, running
     * {@code afterRead} in between. Never retried: a wait for the row's turn must not count as an attempt.
     */
    private static void deduct(Database db, String read, String id, Runnable afterRead, List<Integer> attempts) {
        db.useTransaction(TxOptions.defaults().withRetry(RetryPolicy.none()), tx -> {
            attempts.add(tx.attempt());
            long b = tx.sql(read, id).one(Long.class);
            afterRead.run();
            tx.sql("UPDATE rk_wallet SET balance = ? WHERE id = ?", b - 1, id).update();
        });
    }

    /**
     * A read that takes a share lock and, unlike a write or {@code FOR UPDATE}, does not let the next attempt
     * in on MariaDB (where an attempt of a key admitted one at a time leaves at its first write).
     */
    private static String sharedRead(DbKind kind) {
        return "SELECT balance FROM rk_wallet WHERE id = ?" + (kind == DbKind.MARIADB ? " LOCK IN SHARE MODE" : " FOR SHARE");
    }

    private static Optional<KeyContention> row(Database db) {
        return db.contention().stream().filter(k -> k.key().toString().startsWith("row of ")).findFirst();
    }

    private static long balance(Database db, String id) {
        return db.sql("SELECT balance FROM rk_wallet WHERE id = ?", id).one(Long.class);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void aCallSiteLearnsItsHotRowAndHoldsBackOnlyThatRowsTransactionsWithoutAConnection(DbKind kind)
            throws Exception {
        HikariDataSource pool = closeLater(schema(kind).newPool(10));
        InjectingDataSource faults = new InjectingDataSource(pool); // fails the read itself, not what begins
        CountingDataSource counting = new CountingDataSource(faults.dataSource);
        Database db = watch(Database.builder(counting.dataSource).build());
        String read = sharedRead(kind);
        List<Integer> ignored = new CopyOnWriteArrayList<>();
        // two collisions make the call site hot, two more on the same row make the row hot (limit 1)
        for (int i = 0; i < 4; i++) {
            faults.failStatements("balance FROM rk_wallet", 1, "40001", kind == DbKind.MARIADB ? 1213 : 40001);
            assertThatThrownBy(() -> deduct(db, read, "w-hot", () -> { }, ignored))
                    .isInstanceOfSatisfying(TxkitException.class, e -> assertThat(e.code()).isIn(ErrorCode.CONFLICT,
                            ErrorCode.DEADLOCK));
        }
        KeyContention hotRow = row(db).orElseThrow();
        assertThat(hotRow.hot()).isTrue();
        assertThat(hotRow.limit()).isEqualTo(1);
        assertThat(hotRow.key().toString()).as("names the call site and statement, never the values")
                .contains(RowKeyIT.class.getName()).contains("rk_wallet").doesNotContain("w-hot");

        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> deduct(db, read, "w-hot", () -> {
            inside.countDown();
            awaitUninterruptibly(release);
        }, ignored));
        assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue(); // it holds the hot row's one place
        counting.calls.clear(); // the holder makes no calls while it waits for release
        List<Integer> waiterAttempts = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> deduct(db, read, "w-hot", () -> { },
                waiterAttempts));
        while (row(db).orElseThrow().queued() == 0) {
            LockSupport.parkNanos(1_000_000); // until its first statement has sent it to wait for the row
        }
        assertThat(pool.getHikariPoolMXBean().getActiveConnections())
                .as("the waiter gave its connection back: only the holder has one").isEqualTo(1);
        List<String> sentBack = List.copyOf(counting.calls);
        assertThat(sentBack).as("the attempt sent back sent no statement").contains("getConnection", "close")
                .noneMatch(c -> c.contains("Statement") || c.startsWith("execute"));
        if (kind == DbKind.MARIADB) { // nor left autocommit: Connector/J would have sent that as a statement
            assertThat(sentBack).doesNotContain("setAutoCommit[false]");
        }
        // the same call site on another row is not held back by the hot row
        deduct(db, read, "w-cold", () -> { }, ignored);
        assertThat(balance(db, "w-cold")).isEqualTo(START - 1);
        assertThat(holder).isNotDone();
        assertThat(waiter).isNotDone();

        release.countDown();
        holder.get(30, TimeUnit.SECONDS);
        waiter.get(30, TimeUnit.SECONDS); // never retried (RetryPolicy.none()): waiting was not an attempt
        assertThat(waiterAttempts).as("its callback started again, still as attempt 1").containsExactly(1, 1);
        assertThat(balance(db, "w-hot")).isEqualTo(START - 2);
        KeyContention after = row(db).orElseThrow();
        assertThat(after.inFlight()).isZero();
        assertThat(after.queued()).isZero();
        assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void transfersOfOneCallSiteOverAFewHotAccountsGiveNobodyUpAndConserveMoney(DbKind kind) {
        try (HikariDataSource pool = schema(kind).newPool(32); Database db = Database.create(pool)) {
            TxOptions serializable = TxOptions.defaults().withIsolation(Isolation.SERIALIZABLE);
            int perThread = 15;
            Race.Result<Integer> r = Race.run(64, t -> {
                for (int n = 0; n < perThread; n++) {
                    // skewed: most transfers touch a0 or a1; the lower id is read first, as lock order
                    ThreadLocalRandom rnd = ThreadLocalRandom.current();
                    int from = rnd.nextInt(4) == 0 ? rnd.nextInt(20) : rnd.nextInt(2);
                    int to = (from + 1 + rnd.nextInt(19)) % 20;
                    String first = "a" + Math.min(from, to);
                    String second = "a" + Math.max(from, to);
                    long amount = from < to ? -1 : 1;
                    db.useTransaction(serializable, tx -> {
                        long b1 = tx.sql("SELECT balance FROM rk_wallet WHERE id = ?", first).one(Long.class);
                        long b2 = tx.sql("SELECT balance FROM rk_wallet WHERE id = ?", second).one(Long.class);
                        tx.sql("UPDATE rk_wallet SET balance = ? WHERE id = ?", b1 + amount, first).update();
                        tx.sql("UPDATE rk_wallet SET balance = ? WHERE id = ?", b2 - amount, second).update();
                    });
                }
                return perThread;
            });
            assertThat(r.failures()).as("give-ups").isEmpty();
            assertThat(db.sql("SELECT SUM(balance) FROM rk_wallet WHERE id LIKE 'a%'").one(Long.class))
                    .isEqualTo(20 * START);
            assertThat(db.openTransactions()).isZero();
            assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isZero();
            assertThat(db.contention()).allSatisfy(k -> assertThat(k.inFlight()).isZero())
                    .allSatisfy(k -> assertThat(k.queued()).isZero());
        }
    }

    /**
     * On MariaDB a contended call site's attempts send their plain reads as {@code FOR UPDATE}; like db.optimistic's,
     * at most four such reads of one row wait in the database at once, the rest in the process without a connection.
     */
    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"MARIADB"})
    void aContendedCallSitesLockingReadsOfOneRowWaitInTheDatabaseAtMostFourAtOnce(DbKind kind) throws Exception {
        int calls = 16;
        HikariDataSource pool = closeLater(schema(kind).newPool(calls + 4));
        InjectingDataSource faults = new InjectingDataSource(pool);
        Database db = watch(Database.builder(faults.dataSource).build());
        String read = "SELECT balance FROM rk_wallet WHERE id = ?";
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        faults.failStatements("balance FROM rk_wallet", 1, "40001", 1213); // one collision: the site is contended
        assertThatThrownBy(() -> deduct(db, read, "w-hot", () -> { }, attempts))
                .isInstanceOfSatisfying(TxkitException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DEADLOCK));
        try (Connection holder = holdRow(kind, "SELECT balance FROM rk_wallet WHERE id = 'w-hot' FOR UPDATE")) {
            ExecutorService clients = Executors.newFixedThreadPool(calls);
            closeLater(clients::shutdownNow);
            List<CompletableFuture<Void>> running = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                running.add(CompletableFuture.runAsync(() -> deduct(db, read, "w-hot", () -> { }, attempts), clients));
            }
            int waiting = awaitParked(kind, "rk_wallet", calls, () -> queued(db));
            assertThat(waiting).as("locking reads of the row waiting in the database").isEqualTo(4);
            assertThat(queued(db)).as("transactions queued for the row in this process").isEqualTo(calls - 4);
            assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isEqualTo(4);
            assertThat(running).noneMatch(CompletableFuture::isDone);
            holder.commit();
            for (CompletableFuture<Void> r : running) {
                r.get(60, TimeUnit.SECONDS); // never retried (RetryPolicy.none()): the wait was not an attempt
            }
        }
        assertThat(balance(db, "w-hot")).isEqualTo(START - calls);
        assertThat(db.contention()).allSatisfy(k -> assertThat(k.inFlight()).isZero())
                .allSatisfy(k -> assertThat(k.queued()).isZero());
    }

    private static int queued(Database db) {
        return row(db).map(KeyContention::queued).orElse(0);
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
