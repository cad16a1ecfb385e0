package dev.txkit.it;

import dev.txkit.Database;
import dev.txkit.TxOptions;
import dev.txkit.testing.DbKind;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Virtual threads (JDK 21+): 10 000 of them through a pool of 10, each with a short transaction,
 * and 1 000 of them sharing one transaction through the propagation helper. Statements wait on
 * ReentrantLocks (the transaction's, the pool's, the drivers'), so waiting virtual threads unmount
 * instead of pinning their carriers; JFR's pinning events are counted to prove it.
 */
class Jdk21VirtualThreadsIT extends DbIT {
    private static final int THREADS = 10_000;
    /** Generous: the whole run takes a few seconds; this only catches a deadlock or a stall. */
    private static final long BOUND_SECONDS = 120;

    @BeforeEach
    void tables() {
        for (DbKind kind : new DbKind[]{DbKind.POSTGRES, DbKind.MARIADB}) {
            schema(kind).execute("DROP TABLE IF EXISTS counter", "CREATE TABLE counter (id INT PRIMARY KEY, n INT NOT NULL)",
                    "INSERT INTO counter VALUES (0, 0), (1, 0), (2, 0), (3, 0), (4, 0), (5, 0), (6, 0), (7, 0), (8, 0), (9, 0)",
                    "DROP TABLE IF EXISTS item", "CREATE TABLE item (id INT PRIMARY KEY)");
        }
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void tenThousandVirtualThreadsThroughAPoolOfTen(DbKind kind) throws Exception {
        Database db = db(kind); // a HikariCP pool of 10
        // every thread waits its turn for one of 10 connections: maxWait must cover the whole run
        TxOptions patient = TxOptions.defaults().withMaxWait(Duration.ofSeconds(BOUND_SECONDS));
        AtomicInteger pinned = new AtomicInteger();
        long start = System.nanoTime();
        try (RecordingStream jfr = pinningEvents(pinned);
             ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>(THREADS);
            for (int i = 0; i < THREADS; i++) {
                int row = i % 10;
                done.add(virtual.submit(() -> db.useTransaction(patient,
                        tx -> tx.sql("UPDATE counter SET n = n + 1 WHERE id = ?", row).update())));
            }
            for (Future<?> f : done) {
                f.get(BOUND_SECONDS, TimeUnit.SECONDS);
            }
            assertThat(pinned.get()).as("virtual threads pinned while blocked").isZero();
        }
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(BOUND_SECONDS);
        assertThat(db.sql("SELECT SUM(n) FROM counter").one(Long.class)).isEqualTo(THREADS);
        assertThat(db.sql("SELECT MIN(n) FROM counter").one(Long.class)).isEqualTo(THREADS / 10);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void aThousandVirtualThreadsShareOneTransaction(DbKind kind) throws Exception {
        Database db = db(kind);
        int n = 1_000;
        db.useTransaction(tx -> {
            try (ExecutorService inTx = db.propagating(Executors.newVirtualThreadPerTaskExecutor())) {
                List<Future<Integer>> done = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    int id = i;
                    done.add(inTx.submit(() -> db.sql("INSERT INTO item VALUES (?)", id).update()));
                }
                for (Future<Integer> f : done) {
                    assertThat(f.get(BOUND_SECONDS, TimeUnit.SECONDS)).isEqualTo(1);
                }
            }
            assertThat(tx.sql("SELECT COUNT(*) FROM item").one(Long.class)).isEqualTo(n);
        });
        assertThat(db.sql("SELECT COUNT(*) FROM item").one(Long.class)).isEqualTo(n);
    }

    /** Counts virtual threads that stayed pinned to their carrier for 20 ms or more. */
    private static RecordingStream pinningEvents(AtomicInteger pinned) {
        RecordingStream jfr = new RecordingStream();
        jfr.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ofMillis(20)).withStackTrace();
        jfr.onEvent("jdk.VirtualThreadPinned", e -> {
            pinned.incrementAndGet();
            System.err.println("pinned: " + e);
        });
        jfr.startAsync();
        return jfr;
    }
}
