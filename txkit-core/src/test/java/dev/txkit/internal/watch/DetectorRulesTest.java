package dev.txkit.internal.watch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The self-deadlock detector's rules: when a thread counts as waiting for another thread, and which
 * frame its message names as the begin site.
 */
class DetectorRulesTest {
    private final CountDownLatch release = new CountDownLatch(1);
    private Thread subject;

    @AfterEach
    void stop() throws InterruptedException {
        release.countDown();
        if (subject != null) {
            subject.interrupt();
            subject.join(5_000);
        }
    }

    private Thread start(Runnable body) {
        subject = new Thread(body, "subject");
        subject.setDaemon(true);
        subject.start();
        return subject;
    }

    /** Spins (the subject's state is what is being observed) until the thread reaches {@code state}. */
    private static void awaitState(Thread t, Thread.State state) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (t.getState() != state) {
            assertThat(System.nanoTime()).as("thread reached " + state).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    @Test
    void aThreadParkedOnALatchWaitsForAnotherThread() {
        Thread t = start(() -> {
            try {
                release.await();
            } catch (InterruptedException ignored) {
                // ends the thread
            }
        });
        awaitState(t, Thread.State.WAITING);
        assertThat(ThreadStates.waitsForAnotherThread(t)).isTrue();
        assertThat(ThreadStates.describe(t)).startsWith("WAITING on ");
    }

    @Test
    void aTimedParkOnALatchCountsToo() {
        Thread t = start(() -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                // ends the thread
            }
        });
        awaitState(t, Thread.State.TIMED_WAITING);
        assertThat(ThreadStates.waitsForAnotherThread(t)).isTrue();
    }

    @Test
    void aThreadBlockedOnAMonitorWaitsForAnotherThread() {
        Object monitor = new Object();
        synchronized (monitor) {
            Thread t = start(() -> {
                synchronized (monitor) {
                    release.countDown();
                }
            });
            awaitState(t, Thread.State.BLOCKED);
            assertThat(ThreadStates.waitsForAnotherThread(t)).isTrue();
        }
    }

    @Test
    void aSleepingThreadWakesUpByItself() {
        Thread t = start(() -> {
            try {
                Thread.sleep(30_000);
            } catch (InterruptedException ignored) {
                // ends the thread
            }
        });
        awaitState(t, Thread.State.TIMED_WAITING);
        assertThat(ThreadStates.waitsForAnotherThread(t)).isFalse();
    }

    @Test
    void aRunningThreadIsNotWaiting() {
        Thread t = start(() -> {
            while (release.getCount() > 0) {
                Thread.onSpinWait();
            }
        });
        awaitState(t, Thread.State.RUNNABLE);
        assertThat(ThreadStates.waitsForAnotherThread(t)).isFalse();
    }

    @Test
    void theBeginSiteIsTheFirstFrameOutsideTxkit() {
        Throwable site = new Throwable();
        site.setStackTrace(new StackTraceElement[]{
                new StackTraceElement("dev.txkit.internal.tx.PhysicalTx", "<init>", "PhysicalTx.java", 1),
                new StackTraceElement("dev.txkit.Database", "inTransaction", "Database.java", 2),
                new StackTraceElement("com.example.Shop", "checkout", "Shop.java", 42)});
        assertThat(SelfDeadlockMessage.site(site)).isEqualTo("com.example.Shop.checkout(Shop.java:42)");
        assertThat(SelfDeadlockMessage.site(null)).isNull();
    }
}
