package dev.txkit.spi;

/**
 * Where the ambient transaction of a {@link dev.txkit.Database} is kept while a scope runs. The
 * default keeps it in a thread-local; another implementation can carry it along a different notion
 * of "the current unit of work" (a context-propagation library, an inheritable thread-local).
 *
 * <p>Implementations must be thread-safe; a slot's value is per logical context.
 */
public interface ContextStorage {

    /** A new, independent slot. Called once per {@code Database}. */
    <T> Slot<T> newSlot(String name);

    /** The default: one {@link ThreadLocal} per slot. */
    static ContextStorage threadLocal() {
        return ThreadLocalStorage.INSTANCE;
    }

    /** One value per logical context. */
    interface Slot<T> {
        /** The current value, or {@code null}. */
        T get();

        /** Sets the current value; {@code null} clears it (nothing may keep the old value reachable). */
        void set(T value);
    }
}
