package dev.txkit.internal.tx;

import dev.txkit.internal.context.Listeners;
import java.util.ArrayList;
import java.util.List;

/**
 * The afterCommit / afterRollback hooks of one physical transaction; its outcome hands them out exactly
 * once, for the outcome the transaction really had. Not thread-safe: the transaction guards it with its lock.
 */
final class TxHooks {
    private List<Runnable> onCommit;
    private List<Runnable> onRollback;

    void add(Runnable hook, boolean commit) {
        if (commit) {
            (onCommit == null ? onCommit = new ArrayList<>(2) : onCommit).add(hook);
        } else {
            (onRollback == null ? onRollback = new ArrayList<>(2) : onRollback).add(hook);
        }
    }

    /** The hooks of the outcome, or null when there are none. */
    List<Runnable> of(boolean committed) {
        return committed ? onCommit : onRollback;
    }

    /** Tells the listeners that an attempt committed or rolled back, and how long it took. */
    static void reportEnd(Listeners listeners, dev.txkit.spi.TxAttempt attempt, boolean committed, long tookNanos) {
        if (listeners.isEmpty()) {
            return;
        }
        java.time.Duration took = java.time.Duration.ofNanos(tookNanos);
        if (committed) {
            listeners.emit(l -> l.committed(attempt, took));
        } else {
            listeners.emit(l -> l.rolledBack(attempt, took));
        }
    }

    /** Runs hooks one by one; a failing hook is reported and does not stop the others. */
    static void run(List<Runnable> hooks, Listeners listeners, boolean committed, long txId) {
        if (hooks == null) {
            return;
        }
        for (Runnable hook : hooks) {
            try {
                hook.run();
            } catch (Throwable t) {
                listeners.report("a " + (committed ? "afterCommit" : "afterRollback") + " hook of transaction " + txId
                        + " failed (the transaction outcome stands)", t);
            }
        }
    }
}
