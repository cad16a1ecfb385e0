package dev.txkit.internal.watch;

import java.lang.ref.WeakReference;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The deadline watchdog of one Database: while it has something to watch it ticks its {@link Target}
 * (deadlines, then the self-deadlock detector) every {@value #TICK_MILLIS} ms, which keeps deadlines
 * accurate to well under the 1 s granularity JDBC query timeouts offer, without a timer task per
 * transaction on the hot path. {@link #wake()} starts the ticks when work is registered; after
 * {@value #IDLE_TICKS} ticks with nothing to watch they stop, so an idle Database costs no wake-ups.
 *
 * <p>It runs on a scheduler of the Database's own (one daemon thread, which ends when idle and is
 * stopped by {@link #close()}) or on one the application supplies (left running; only this task is
 * cancelled). The task holds its target only weakly: a Database dropped without {@code close()} is
 * still collected, and then the task ends itself. Thread-safe.
 */
public final class Watchdog implements AutoCloseable {
    static final long TICK_MILLIS = 10;
    static final int IDLE_TICKS = 100;
    private static final System.Logger LOG = System.getLogger("dev.txkit");
    private static final AtomicInteger THREADS = new AtomicInteger();

    /** What is ticked; a tick must not block and reports its own failures. */
    public interface Target {
        void tick(long now);

        /** Whether there is nothing to watch (no open transaction, no statement in flight). */
        boolean idle();
    }

    private final ScheduledExecutorService scheduler;
    private final boolean owned;
    private final WeakReference<Target> target;
    private final AtomicBoolean ticking = new AtomicBoolean();
    private volatile ScheduledFuture<?> task;
    private volatile boolean closed;
    private int idleTicks;

    /**
     * A watchdog for {@code target} on {@code scheduler}, or on a daemon thread of its own when
     * {@code scheduler} is {@code null}. The caller must keep {@code target} strongly reachable for as
     * long as it wants ticks.
     */
    public Watchdog(Target target, ScheduledExecutorService scheduler) {
        this.owned = scheduler == null;
        this.scheduler = owned ? ownScheduler() : scheduler;
        this.target = new WeakReference<>(target);
    }

    private static ScheduledExecutorService ownScheduler() {
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "txkit-watchdog-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        s.setRemoveOnCancelPolicy(true);
        s.setKeepAliveTime(5, TimeUnit.SECONDS);
        s.allowCoreThreadTimeOut(true); // no task, no thread
        return s;
    }

    /** Something to watch was registered: tick from now on (cheap when already ticking). */
    public void wake() {
        if (!ticking.get() && !closed && ticking.compareAndSet(false, true)) {
            idleTicks = 0;
            // the task refers to this watchdog, which refers to the target only weakly
            try {
                task = scheduler.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                ticking.set(false); // the scheduler was shut down (the Database is closed, or the application's)
            }
        }
    }

    private void tick() {
        Target t = target.get();
        if (t == null) {
            close(); // the Database was dropped without close()
            return;
        }
        try {
            t.tick(System.nanoTime());
        } catch (Throwable e) {
            // a throwing task would never be scheduled again: keep the deadlines running
            LOG.log(System.Logger.Level.WARNING, "txkit: watchdog tick failed", e);
        }
        if (!t.idle()) {
            idleTicks = 0;
        } else if (++idleTicks >= IDLE_TICKS) {
            pause(t);
        }
    }

    private void pause(Target t) {
        ScheduledFuture<?> f = task;
        ticking.set(false);
        f.cancel(false);
        if (!t.idle()) {
            wake(); // work arrived while pausing, and its wake() found the watchdog still ticking
        }
    }

    /** Stops ticking; stops the thread too when the scheduler is the watchdog's own. Idempotent. */
    @Override
    public void close() {
        closed = true;
        ScheduledFuture<?> f = task;
        if (f != null) {
            f.cancel(false);
        }
        if (owned) {
            scheduler.shutdownNow();
        }
    }
}
