package dev.txkit.it.table;

import com.zaxxer.hikari.HikariDataSource;
import dev.txkit.Database;
import dev.txkit.KeyContention;
import dev.txkit.TxOptions;
import dev.txkit.it.DbIT;
import dev.txkit.retry.RetryPolicy;
import dev.txkit.table.Id;
import dev.txkit.table.Table;
import dev.txkit.table.TableName;
import dev.txkit.table.Version;
import dev.txkit.testing.DbKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * While a db.optimistic call site is contended its calls read with {@code FOR UPDATE}, and the database queues
 * them on the row lock; txkit lets at most four of one row's locking reads wait there at once and keeps the
 * rest waiting in the process, holding no connection (issue 14: on PostgreSQL a long queue of lock waiters
 * halves what one row commits).
 */
class OptimisticLockQueueIT extends DbIT {
    private static final int CALLS = 16;
    private static final int START = 1000;

    @TableName("lq_wallet")
    record Wallet(@Id String id, long balance, @Version int version) {
        Wallet minus(long amount) {
            return new Wallet(id, balance - amount, version);
        }
    }

    @BeforeEach
    void wallet() {
        for (DbKind kind : available(DbKind.POSTGRES, DbKind.MARIADB)) {
            schema(kind).execute("DROP TABLE IF EXISTS lq_wallet",
                    "CREATE TABLE lq_wallet (id VARCHAR(10) PRIMARY KEY, balance BIGINT NOT NULL, version INT NOT NULL)",
                    "INSERT INTO lq_wallet VALUES ('w', " + START + ", 0)");
        }
    }

    /** The one call site of this test: deducts 1 from the wallet, running {@code afterRead} in its first attempt. */
    private static Wallet deduct(Database db, Runnable afterRead, AtomicInteger attempts) {
        AtomicInteger mine = new AtomicInteger();
        return db.optimistic(RetryPolicy.defaults(), tx -> {
            attempts.incrementAndGet();
            Table<Wallet> wallets = tx.table(Wallet.class);
            Wallet w = wallets.get("w");
            if (mine.incrementAndGet() == 1) {
                afterRead.run();
            }
            return wallets.update(w.minus(1));
        });
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void aContendedCallSiteQueuesAtMostFourLockingReadsOfOneRowInTheDatabase(DbKind kind) throws Exception {
        HikariDataSource pool = closeLater(schema(kind).newPool(CALLS + 4));
        TxOptions patient = TxOptions.defaults().withMaxWait(Duration.ofSeconds(30)).withTimeout(Duration.ofSeconds(60));
        Database db = watch(Database.builder(pool).defaults(patient).build());
        AtomicInteger attempts = new AtomicInteger();
        // a version conflict: another writer bumps the row between this call's read and its write
        deduct(db, () -> schema(kind).execute("UPDATE lq_wallet SET version = version + 1 WHERE id = 'w'"), attempts);
        assertThat(attempts.get()).as("the conflict was retried").isEqualTo(2);

        try (Connection holder = holdRow(kind, "SELECT balance FROM lq_wallet WHERE id = 'w' FOR UPDATE")) {
            ExecutorService clients = Executors.newFixedThreadPool(CALLS);
            closeLater(clients::shutdownNow);
            List<CompletableFuture<Wallet>> calls = new ArrayList<>();
            for (int i = 0; i < CALLS; i++) {
                calls.add(CompletableFuture.supplyAsync(() -> deduct(db, () -> { }, attempts), clients));
            }
            int waiting = awaitParked(kind, "lq_wallet", CALLS, () -> queued(db));
            assertThat(waiting).as("locking reads of the row waiting in the database").isEqualTo(4);
            assertThat(queued(db)).as("calls queued for the row in this process").isEqualTo(CALLS - 4);
            assertThat(pool.getHikariPoolMXBean().getActiveConnections())
                    .as("only the calls waiting in the database hold a connection").isEqualTo(4);
            assertThat(row(db).orElseThrow().key().toString()).as("the row is named, its id is not")
                    .contains(OptimisticLockQueueIT.class.getName()).contains("lq_wallet").doesNotContain("'w'");
            assertThat(calls).noneMatch(CompletableFuture::isDone);
            holder.commit();
            List<Long> versions = new ArrayList<>();
            for (CompletableFuture<Wallet> call : calls) {
                versions.add((long) call.get(60, TimeUnit.SECONDS).version());
            }
            assertThat(versions).as("each call landed once, on its own version").doesNotHaveDuplicates();
        }
        Wallet after = db.table(Wallet.class).get("w");
        assertThat(after.balance()).isEqualTo(START - 1 - CALLS);
        KeyContention row = row(db).orElseThrow();
        assertThat(row.inFlight()).isZero();
        assertThat(row.queued()).isZero();
        assertThat(row.limit()).isEqualTo(4);
        assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isZero();
        assertThat(db.openTransactions()).isZero();
    }

    private static Optional<KeyContention> row(Database db) {
        return db.contention().stream().filter(k -> k.key().toString().startsWith("row of ")).findFirst();
    }

    private static int queued(Database db) {
        return row(db).map(KeyContention::queued).orElse(0);
    }
}
