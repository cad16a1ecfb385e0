package dev.txkit.internal.context;

import dev.txkit.TxOptions;
import dev.txkit.spi.ContextStorage;
import dev.txkit.spi.TxListener;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/** The immutable configuration of one Database, made by {@code Database.Builder}. */
public final class Settings {
    public final TxOptions defaults;
    public final boolean strict;
    public final boolean rejectConcurrentUse;
    public final boolean captureBeginSite;
    public final boolean showValues;
    public final Duration selfDeadlockThreshold;
    public final ContextStorage storage;
    public final List<TxListener> listeners;
    /** Joins another transaction manager's transactions on the same pool, or {@code null}. */
    public final dev.txkit.spi.TransactionBridge bridge;
    /** Where the watchdog ticks; {@code null}: on a thread of the Database's own. */
    public final ScheduledExecutorService scheduler;

    public Settings(TxOptions defaults, boolean strict, boolean rejectConcurrentUse, boolean captureBeginSite,
                    boolean showValues, Duration selfDeadlockThreshold, ContextStorage storage,
                    List<TxListener> listeners, dev.txkit.spi.TransactionBridge bridge,
                    ScheduledExecutorService scheduler) {
        this.defaults = defaults;
        this.strict = strict;
        this.rejectConcurrentUse = rejectConcurrentUse;
        this.captureBeginSite = captureBeginSite;
        this.showValues = showValues;
        this.selfDeadlockThreshold = selfDeadlockThreshold;
        this.storage = storage;
        this.listeners = List.copyOf(listeners);
        this.bridge = bridge;
        this.scheduler = scheduler;
    }
}
