package dev.txkit;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each Database owns its watchdog and nothing JVM-wide keeps it: close() stops its thread, an
 * application's scheduler is used and left running, and a Database dropped without close() is
 * collected.
 */
class DatabaseLifecycleTest {

    private static JdbcDataSource h2() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:lifecycle-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        return ds;
    }

    private static Set<Thread> txkitThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("txkit-")).collect(Collectors.toSet());
    }

    @Test
    void closeStopsTheWatchdogThreadOfThisDatabase() throws InterruptedException {
        Set<Thread> before = txkitThreads();
        Database db = Database.create(h2());
        Set<Thread> during = db.inTransaction(tx -> {
            tx.sql("SELECT 1").one(Integer.class);
            return txkitThreads(); // a transaction is open: the watchdog ticks
        });
        during.removeAll(before);
        assertThat(during).extracting(Thread::getName).anyMatch(n -> n.startsWith("txkit-watchdog-"));
        db.close();
        for (Thread t : during) {
            t.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(t.isAlive()).as(t.getName() + " still runs after close()").isFalse();
        }
    }

    @Test
    void aSuppliedSchedulerRunsTheWatchdogAndIsLeftRunningByClose() {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
        scheduler.setRemoveOnCancelPolicy(true);
        try {
            Set<Thread> before = txkitThreads();
            Database db = Database.builder(h2()).scheduler(scheduler).build();
            int queued = db.inTransaction(tx -> scheduler.getQueue().size());
            assertThat(queued).as("the watchdog's task, while a transaction is open").isEqualTo(1);
            Set<Thread> started = txkitThreads();
            started.removeAll(before);
            assertThat(started).extracting(Thread::getName).noneMatch(n -> n.startsWith("txkit-watchdog-"));
            db.close();
            assertThat(scheduler.getQueue()).as("close() cancels the watchdog's task").isEmpty();
            assertThat(scheduler.isShutdown()).isFalse();
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void aDatabaseDroppedWithoutCloseIsCollectedWithItsDataSource() throws InterruptedException {
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        // the DataSource too: it is what the engine, its watchdog and its registry hold on to
        WeakReference<?>[] refs = dropUnclosed(queue);
        int collected = 0;
        for (int i = 0; i < 50 && collected < refs.length; i++) { // bounded: a leak fails instead of hanging
            System.gc();
            if (queue.remove(100) != null) {
                collected++;
            }
        }
        assertThat(refs[0].get()).as("the unclosed Database was collected").isNull();
        assertThat(refs[1].get()).as("its DataSource was collected").isNull();
    }

    /** Uses a Database (so its watchdog has ticked) and drops it, and its DataSource, without closing it. */
    private static WeakReference<?>[] dropUnclosed(ReferenceQueue<Object> queue) {
        JdbcDataSource ds = h2();
        Database db = Database.create(ds);
        db.useTransaction(tx -> tx.sql("SELECT 1").one(Integer.class));
        db.sql("SELECT 1").one(Integer.class);
        assertThat(db.openTransactions()).isZero();
        return new WeakReference<?>[]{new WeakReference<>(db, queue), new WeakReference<>(ds, queue)};
    }
}
