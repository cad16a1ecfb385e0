package dev.txkit.it;

import com.zaxxer.hikari.HikariDataSource;
import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.Isolation;
import dev.txkit.KeyContention;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.retry.RetryPolicy;
import dev.txkit.spi.TxListener;
import dev.txkit.testing.DbKind;
import dev.txkit.testing.Faults;
import dev.txkit.testing.FaultyDataSource;
import dev.txkit.testing.Race;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Adaptive contention control on real databases: injected serialization failures (FaultyDataSource)
 * lower a key's admission limit and clean commits raise it again; a held-back transaction holds no
 * connection and fails with ADMISSION_TIMEOUT past its timeout; and the default path — SERIALIZABLE,
 * default retry policy — gives nobody up at 64 threads on one hot row.
 */
class ContentionIT extends DbIT {
    private static final String KEY = "wallet:w";
    private static final int MAX = Integer.MAX_VALUE;
    private final List<String> limits = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch heated = new CountDownLatch(1);

    @BeforeEach
    void wallet() {
        for (DbKind kind : available(DbKind.POSTGRES, DbKind.MARIADB)) {
            schema(kind).execute("DROP TABLE IF EXISTS c_wallet",
                    "CREATE TABLE c_wallet (id VARCHAR(10) PRIMARY KEY, balance BIGINT NOT NULL)",
                    "INSERT INTO c_wallet VALUES ('w', 1000000)");
        }
        limits.clear();
        heated = new CountDownLatch(1);
    }

    private Database faulty(FaultyDataSource faults) {
        return watch(Database.builder(faults).listener(new TxListener() {
            @Override
            public void contentionLimitChanged(Object key, int previous, int limit) {
                limits.add(previous + "->" + limit);
                heated.countDown();
            }
        }).build());
    }

    private static TxOptions keyed() {
        return TxOptions.defaults().withContentionKey(KEY).withRetry(RetryPolicy.none());
    }

    private static KeyContention state(Database db) {
        return db.contention().stream().filter(k -> k.key().equals(KEY)).findFirst().orElseThrow();
    }

    /** One transaction of the key whose first statement fails with an injected 40001. */
    private static void collide(Database db, FaultyDataSource faults) {
        faults.failStatement(1, Faults.serializationFailure());
        assertThatThrownBy(() -> deduct(db, keyed()))
                .isInstanceOfSatisfying(TxkitException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
    }

    private static void deduct(Database db, TxOptions options) {
        db.useTransaction(options, tx -> {
            long b = tx.sql("SELECT balance FROM c_wallet WHERE id = ?", "w").one(Long.class);
            tx.sql("UPDATE c_wallet SET balance = ? WHERE id = ?", b - 1, "w").update();
        });
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void injectedConflictsLowerTheLimitAndCleanCommitsRaiseItAgain(DbKind kind) throws Exception {
        FaultyDataSource faults = FaultyDataSource.wrap(closeLater(schema(kind).newPool(10)));
        Database db = faulty(faults);
        collide(db, faults); // a first collision: the key is watched, still cold
        assertThat(state(db).hot()).isFalse();
        // eight transactions of the key in flight at once; one of their statements fails with 40001
        // (the others stay in flight until the collision has been counted, so it sees all eight)
        CyclicBarrier allIn = new CyclicBarrier(8, () -> faults.failStatement(1, Faults.serializationFailure()));
        Race.Result<Object> r = Race.run(8, i -> {
            db.useTransaction(keyed(), tx -> {
                allIn.await(30, TimeUnit.SECONDS);
                tx.sql("SELECT balance FROM c_wallet WHERE id = ?", "w").one(Long.class);
                assertThat(heated.await(30, TimeUnit.SECONDS)).isTrue();
            });
            return null;
        });
        assertThat(r.failuresWith(ErrorCode.CONFLICT)).isEqualTo(1);
        assertThat(state(db).hot()).isTrue();
        assertThat(limits).containsExactly(MAX + "->4"); // half of the eight that were running
        // every later attempt collides: the limit falls, halving at a time, to 1
        int collisions = 0;
        while (state(db).limit() > 1) {
            collide(db, faults);
            assertThat(++collisions).isLessThanOrEqualTo(10);
        }
        assertThat(collisions).isEqualTo(4); // two are clear evidence at 4 (above a quarter colliding), two at 2
        assertThat(state(db).conflicts()).isGreaterThanOrEqualTo(4);
        // clean commits one at a time raise it again, and a long clean run with no queue makes it cold
        int commits = 0;
        while (state(db).limit() < 2) {
            deduct(db, keyed());
            commits++;
        }
        assertThat(commits).isEqualTo(8); // a window of clean commits at 1, then it probes 2
        while (state(db).hot()) {
            deduct(db, keyed());
            assertThat(++commits).isLessThanOrEqualTo(250);
        }
        assertThat(limits).containsExactly(MAX + "->4", "4->2", "2->1", "1->2", "2->" + MAX);
    }

    /** A Database whose key admits one at a time, its place taken by {@code holder} until {@code release} opens. */
    private record Holding(HikariDataSource pool, Database db, CompletableFuture<Void> holder, CountDownLatch release) {
    }

    private Holding holding(DbKind kind) throws InterruptedException {
        HikariDataSource pool = closeLater(schema(kind).newPool(10));
        FaultyDataSource faults = FaultyDataSource.wrap(pool);
        Database db = faulty(faults);
        for (int i = 0; i < 3; i++) {
            collide(db, faults);
        }
        assertThat(state(db).limit()).isEqualTo(1);
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // holds before its first statement: on MariaDB a hot key's first read locks the row exclusively and
        // lets the next attempt in to queue behind it in the server (the tests below)
        CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> db.useTransaction(keyed(), tx -> {
            inside.countDown();
            awaitUninterruptibly(release);
            tx.sql("SELECT balance FROM c_wallet WHERE id = ?", "w").one(Long.class);
        }));
        assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();
        return new Holding(pool, db, holder, release);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void aHeldBackTransactionHoldsNoConnectionAndFailsWithAdmissionTimeoutPastItsTimeout(DbKind kind)
            throws Exception {
        Holding h = holding(kind);
        Database db = h.db();
        HikariDataSource pool = h.pool();
        CountDownLatch release = h.release();
        CompletableFuture<Void> holder = h.holder();
        AtomicInteger ran = new AtomicInteger();
        CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> db.useTransaction(keyed(), tx -> {
            ran.incrementAndGet();
        }));
        while (state(db).queued() == 0) {
            LockSupport.parkNanos(1_000_000); // until the second one is queued
        }
        assertThat(pool.getHikariPoolMXBean().getActiveConnections()).as("waiting for admission holds no connection")
                .isEqualTo(1);
        TxOptions impatient = keyed().withTimeout(Duration.ofMillis(200));
        assertThatThrownBy(() -> db.useTransaction(impatient, tx -> ran.incrementAndGet()))
                .isInstanceOfSatisfying(TxkitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.ADMISSION_TIMEOUT);
                    assertThat(e.getMessage()).contains("of the 200 ms timeout").contains("nothing ran")
                            .doesNotContain(KEY);
                });
        assertThat(ran).as("neither waiter has run yet").hasValue(0);
        release.countDown();
        holder.get(30, TimeUnit.SECONDS);
        waiter.get(30, TimeUnit.SECONDS);
        assertThat(ran).hasValue(1);
        assertThat(state(db).queued()).isZero();
        assertThat(state(db).inFlight()).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void aTransactionStuckInFlightStopsHoldingItsPlaceSoTheNextIsAdmittedWithinItsTimeout(DbKind kind)
            throws Exception {
        Holding h = holding(kind); // stuck before its first statement (as on a frozen node) until released
        Database db = h.db();
        CompletableFuture<Void> stuck = h.holder();
        CountDownLatch release = h.release();
        // its 5 s timeout is longer than the stall time: it is let in while the stuck one still runs, and commits
        deduct(db, keyed());
        assertThat(stuck).isNotDone();
        assertThat(state(db).inFlight()).as("the stuck one holds no place any more").isZero();
        release.countDown();
        stuck.get(30, TimeUnit.SECONDS);
        assertThat(state(db).inFlight()).as("its late end gives nothing back twice").isZero();
        assertThat(db.sql("SELECT balance FROM c_wallet WHERE id = ?", "w").one(Long.class)).isEqualTo(1_000_000 - 1);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void aRequiresNewInsideATransactionOfAHotKeyIsNotHeldBackByItsOwnOuterTransaction(DbKind kind) {
        FaultyDataSource faults = FaultyDataSource.wrap(closeLater(schema(kind).newPool(10)));
        Database db = faulty(faults);
        for (int i = 0; i < 3; i++) {
            collide(db, faults);
        }
        assertThat(state(db).limit()).isEqualTo(1);
        TxOptions inner = keyed().withPropagation(dev.txkit.Propagation.REQUIRES_NEW);
        long balance = db.inTransaction(keyed(), outer -> db.inTransaction(inner,
                tx -> tx.sql("SELECT balance FROM c_wallet WHERE id = ?", "w").one(Long.class)));
        assertThat(balance).isEqualTo(1_000_000);
    }

    /**
     * A pool whose connections hold COMMIT, before sending it, while {@code holding} is the calling thread
     * and until {@code release} opens ({@code reached} tells that COMMIT was reached).
     */
    private static DataSource holdingCommit(DataSource real, Thread[] holding, CountDownLatch reached,
                                            CountDownLatch release) {
        InvocationHandler pool = (proxy, m, args) -> {
            Object result = invoke(real, m, args);
            if (!(result instanceof Connection)) {
                return result;
            }
            Connection c = (Connection) result;
            return Proxy.newProxyInstance(ContentionIT.class.getClassLoader(), new Class<?>[] {Connection.class},
                    (p, cm, cargs) -> {
                        if (cm.getName().equals("commit") && Thread.currentThread() == holding[0]) {
                            reached.countDown();
                            awaitUninterruptibly(release);
                        }
                        return invoke(c, cm, cargs);
                    });
        };
        return (DataSource) Proxy.newProxyInstance(ContentionIT.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, pool);
    }

    private static Object invoke(Object target, Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void onMariaDbASerializableCommitOnItsWayLetsTheNextTransactionInOnPostgresTheNextWaitsForIt(DbKind kind)
            throws Exception {
        Thread[] holding = new Thread[1];
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        FaultyDataSource faults = FaultyDataSource.wrap(
                holdingCommit(closeLater(schema(kind).newPool(10)), holding, reached, release));
        CountDownLatch secondStarted = new CountDownLatch(1);
        Database db = watch(Database.builder(faults).listener(new TxListener() {
            @Override
            public void attemptStarted(dev.txkit.spi.TxAttempt attempt) {
                if (holding[0] != null && Thread.currentThread() != holding[0]) {
                    secondStarted.countDown();
                }
            }
        }).build());
        for (int i = 0; i < 3; i++) {
            collide(db, faults);
        }
        assertThat(state(db).limit()).isEqualTo(1);
        TxOptions serializable = keyed().withIsolation(Isolation.SERIALIZABLE);
        long conflictsBefore = state(db).conflicts();
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> {
            holding[0] = Thread.currentThread();
            deduct(db, serializable);
        });
        assertThat(reached.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> deduct(db, serializable));
        if (kind == DbKind.MARIADB) {
            // InnoDB ends the row lock before the log flush: the second may start now; its locking read
            // waits in the server for the first's COMMIT, which is still held back here
            assertThat(secondStarted.await(30, TimeUnit.SECONDS)).as("admitted while COMMIT is on its way").isTrue();
            assertThat(state(db).queued()).isZero();
        } else {
            // PostgreSQL keeps locks until the commit is durable, and a snapshot taken now would miss it
            while (state(db).queued() == 0) {
                LockSupport.parkNanos(1_000_000); // until the second one is queued
            }
            assertThat(secondStarted.getCount()).as("not admitted before COMMIT ended").isEqualTo(1);
        }
        releaseAndExpectBothExact(db, release, first, second, conflictsBefore);
    }

    /** Lets the held first transaction go; both deductions must land, and neither collided with the other. */
    private static void releaseAndExpectBothExact(Database db, CountDownLatch release, CompletableFuture<Void> first,
                                                  CompletableFuture<Void> second, long conflictsBefore) throws Exception {
        assertThat(second).isNotDone();
        release.countDown();
        first.get(30, TimeUnit.SECONDS);
        second.get(30, TimeUnit.SECONDS);
        assertThat(db.sql("SELECT balance FROM c_wallet WHERE id = ?", "w").one(Long.class)).isEqualTo(1_000_000 - 2);
        assertThat(state(db).inFlight()).isZero();
        assertThat(state(db).conflicts()).as("no collision between the two").isEqualTo(conflictsBefore);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void onMariaDbTheNextAttemptOfAKeyAdmittedOneAtATimeQueuesInTheServerBehindTheFirstsWrite(DbKind kind)
            throws Exception {
        FaultyDataSource faults = FaultyDataSource.wrap(closeLater(schema(kind).newPool(2)));
        Database db = faulty(faults);
        // the default options: MariaDB's REPEATABLE READ, which txkit runs with innodb_snapshot_isolation=ON,
        // set on both of the pool's connections by two transactions at once
        CyclicBarrier both = new CyclicBarrier(2);
        Race.run(2, i -> db.inTransaction(keyed().withContentionKey("warm-up"), tx -> {
            tx.sql("SELECT 1").one(Integer.class);
            return both.await(30, TimeUnit.SECONDS);
        }));
        for (int i = 0; i < 3; i++) {
            collide(db, faults);
        }
        assertThat(state(db).limit()).isEqualTo(1);
        long conflictsBefore = state(db).conflicts();
        CountDownLatch wrote = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> db.useTransaction(keyed(), tx -> {
            long b = tx.sql("SELECT balance FROM c_wallet WHERE id = ?", "w").one(Long.class);
            tx.sql("UPDATE c_wallet SET balance = ? WHERE id = ?", b - 1, "w").update();
            wrote.countDown();
            awaitUninterruptibly(release); // holds the row's lock until told
        }));
        assertThat(wrote.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> db.useTransaction(keyed(), tx -> {
            long b = tx.sql("SELECT balance FROM c_wallet WHERE id = ? /* relayed */", "w").one(Long.class);
            tx.sql("UPDATE c_wallet SET balance = ? WHERE id = ?", b - 1, "w").update();
        }));
        if (kind == DbKind.MARIADB) {
            // admitted at the first's write: its first read waits in the server for the first's row lock
            LockWaits.awaitBlocked(schema(kind), "relayed", 1);
            assertThat(state(db).queued()).isZero();
        } else {
            // PostgreSQL's SERIALIZABLE would read a snapshot past which the first commits: it waits here
            while (state(db).queued() == 0) {
                LockSupport.parkNanos(1_000_000);
            }
        }
        // MariaDB: the second reads the first's commit (its attempt runs at SERIALIZABLE, without the snapshot
        // check that would fail that read with 1020); nothing collides
        releaseAndExpectBothExact(db, release, first, second, conflictsBefore);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void onMariaDbAHotKeysPlainReadsTakeExclusiveLocksOnPostgresTheyStayPlain(DbKind kind) throws Exception {
        HikariDataSource pool = closeLater(schema(kind).newPool(10));
        FaultyDataSource faults = FaultyDataSource.wrap(pool);
        Database db = faulty(faults);
        for (int i = 0; i < 3; i++) {
            collide(db, faults);
        }
        assertThat(state(db).hot()).isTrue();
        CountDownLatch read = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> db.useTransaction(keyed(), tx -> {
            tx.sql("SELECT balance FROM c_wallet WHERE id = ?", "w").one(Long.class); // a plain read, default options
            read.countDown();
            awaitUninterruptibly(release);
        }));
        assertThat(read.await(30, TimeUnit.SECONDS)).isTrue();
        // another session asks for a share lock on the row without waiting: refused only if the read took an
        // exclusive lock (a share lock, MariaDB's SERIALIZABLE plain read, or no lock at all would grant it)
        String shareNow = kind == DbKind.MARIADB ? "SELECT balance FROM c_wallet WHERE id = 'w' LOCK IN SHARE MODE NOWAIT"
                : "SELECT balance FROM c_wallet WHERE id = 'w' FOR SHARE NOWAIT";
        Throwable refused = null;
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try (java.sql.Statement st = c.createStatement()) {
                st.executeQuery(shareNow).close();
            } catch (java.sql.SQLException e) {
                refused = e;
            }
            c.rollback();
            c.setAutoCommit(true);
        } finally {
            release.countDown();
        }
        holder.get(30, TimeUnit.SECONDS);
        if (kind == DbKind.MARIADB) {
            assertThat(refused).as("the hot key's plain read holds the row exclusively").isNotNull();
        } else {
            assertThat(refused).as("PostgreSQL's reads queue nothing: left as written").isNull();
        }
        assertThat(db.sql("SELECT balance FROM c_wallet WHERE id = 'w'").one(Long.class)).isEqualTo(1_000_000L);
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void theDefaultPathGivesNobodyUpAtSixtyFourThreadsOnOneHotRow(DbKind kind) {
        try (HikariDataSource pool = schema(kind).newPool(32); Database db = Database.create(pool)) {
            TxOptions serializable = TxOptions.defaults().withIsolation(Isolation.SERIALIZABLE);
            int perThread = 10;
            Race.Result<Integer> r = Race.run(64, i -> {
                for (int n = 0; n < perThread; n++) {
                    deduct(db, serializable);
                }
                return perThread;
            });
            assertThat(r.failures()).as("give-ups").isEmpty();
            assertThat(db.sql("SELECT balance FROM c_wallet WHERE id = ?", "w").one(Long.class))
                    .isEqualTo(1_000_000 - 64 * perThread);
            // a key has a record once it collided (the first collision is not counted in its window); on
            // MariaDB its reads then lock exclusively and it may collide no more
            assertThat(db.contention()).as("the hot row was noticed").isNotEmpty();
            assertThat(db.openTransactions()).isZero();
            assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isZero();
        }
    }
}
