package dev.txkit.internal.context;

import dev.txkit.spi.TxListener;

import java.util.List;
import java.util.function.Consumer;

/**
 * The listeners of one Database, and where its problems are reported: every layer gets this
 * instead of the engine, so telling listeners needs no reference upwards. Immutable; thread-safe.
 */
public final class Listeners {
    private static final System.Logger LOG = System.getLogger("dev.txkit");

    private final List<TxListener> listeners;

    public Listeners(List<TxListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    /** Whether nobody listens: callers skip building events then (the cheap path of a transaction). */
    public boolean isEmpty() {
        return listeners.isEmpty();
    }

    /** Tells every listener; a listener that throws is logged and does not disturb the transaction. */
    public void emit(Consumer<TxListener> event) {
        for (TxListener l : listeners) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "txkit: a TxListener failed", e);
            }
        }
    }

    /** A problem that must not disturb the caller (a failed hook, a failed cleanup): logged and told. */
    public void report(String what, Throwable failure) {
        LOG.log(System.Logger.Level.WARNING, "txkit: " + what, failure);
        emit(l -> l.problem(what, failure));
    }
}
