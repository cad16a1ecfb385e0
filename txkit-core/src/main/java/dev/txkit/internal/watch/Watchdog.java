package dev.txkit.internal.watch;

import java.lang.ref.WeakReference;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The deadline watchdog of one Database: ticks its {@link Target} (deadlines, then the self-deadlock
 * detector) every {@value #TICK_MILLIS} ms, which keeps deadlines accurate to well under the 1 s
 * granularity JDBC query timeouts offer, without a timer task per transaction on the hot path.
 *
 * <p>It runs on a scheduler of the Database's own (one daemon thread, stopped by {@link #close()}) or
 * on one the application supplies (left running; only this task is cancelled). The task holds its
 * target only weakly: a Database that is dropped without {@code close()} is still collected, and then
 * the task ends itself and its own thread stops. Thread-safe.
 */
public final class Watchdog implements AutoCloseable {
    static final long TICK_MILLIS = 10;
    private static final System.Logger LOG = System.getLogger("dev.txkit");
    private static final AtomicInteger THREADS = new AtomicInteger();

    /** What is ticked; a tick must not block and reports its own failures. */
    @FunctionalInterface
    public interface Target {
        void tick(long now);
    }

    private final ScheduledExecutorService scheduler;
    private final boolean owned;
    private volatile ScheduledFuture<?> task;

    private Watchdog(ScheduledExecutorService scheduler, boolean owned) {
        this.scheduler = scheduler;
        this.owned = owned;
    }

    /**
     * Starts ticking {@code target} on {@code scheduler}, or on a new daemon thread of its own when
     * {@code scheduler} is {@code null}. The caller must keep {@code target} strongly reachable for as
     * long as it wants ticks.
     */
    public static Watchdog start(Target target, ScheduledExecutorService scheduler) {
        boolean owned = scheduler == null;
        Watchdog w = new Watchdog(owned ? Executors.newSingleThreadScheduledExecutor(daemon()) : scheduler, owned);
        WeakReference<Target> ref = new WeakReference<>(target);
        w.task = w.scheduler.scheduleWithFixedDelay(() -> tick(ref, w), TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        return w;
    }

    // static, so that the task refers to nothing but the weak reference and the watchdog itself
    private static void tick(WeakReference<Target> ref, Watchdog w) {
        Target t = ref.get();
        if (t == null) {
            w.close(); // the Database was dropped without close()
            return;
        }
        try {
            t.tick(System.nanoTime());
        } catch (Throwable e) {
            // a throwing task would never be scheduled again: keep the deadlines running
            LOG.log(System.Logger.Level.WARNING, "txkit: watchdog tick failed", e);
        }
    }

    private static ThreadFactory daemon() {
        return r -> {
            Thread t = new Thread(r, "txkit-watchdog-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Stops ticking; stops the thread too when the scheduler is the watchdog's own. Idempotent. */
    @Override
    public void close() {
        ScheduledFuture<?> f = task;
        if (f != null) {
            f.cancel(false);
        }
        if (owned) {
            scheduler.shutdownNow();
        }
    }

    /** Whether the watchdog's own thread has stopped (always false for a supplied scheduler). */
    public boolean terminated() {
        return owned && scheduler.isTerminated();
    }
}
