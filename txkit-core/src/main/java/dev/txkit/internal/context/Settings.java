package dev.txkit.internal.context;

import dev.txkit.TxOptions;
import dev.txkit.spi.ContextStorage;
import dev.txkit.spi.TxListener;

import java.time.Duration;
import java.util.List;

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

    public Settings(TxOptions defaults, boolean strict, boolean rejectConcurrentUse, boolean captureBeginSite,
                    boolean showValues, Duration selfDeadlockThreshold, ContextStorage storage,
                    List<TxListener> listeners) {
        this.defaults = defaults;
        this.strict = strict;
        this.rejectConcurrentUse = rejectConcurrentUse;
        this.captureBeginSite = captureBeginSite;
        this.showValues = showValues;
        this.selfDeadlockThreshold = selfDeadlockThreshold;
        this.storage = storage;
        this.listeners = List.copyOf(listeners);
    }
}
