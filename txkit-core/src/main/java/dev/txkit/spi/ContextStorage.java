package dev.txkit.spi;

/**
 * Where the ambient transaction of a {@link dev.txkit.Database} is kept while a scope runs. The
 * default keeps it in a thread-local; another implementation can carry it along a different notion
 * of "the current unit of work" (a context-propagation library, an inheritable thread-local).
 *
 * <p>Implementations must be thread-safe; a slot's value is per logical context.
 */
public interface ContextStorage {

    /**
     * A new, independent slot. Called once per pool that Databases share a scope over.
     *
     * @param <T> the type of value kept in the slot
     * @param name a name for diagnostics ({@code toString}); not necessarily unique
     * @return the slot, empty in every context
     */
    <T> Slot<T> newSlot(String name);

    /** {@return the default storage: one {@link ThreadLocal} per slot, removed when cleared} */
    static ContextStorage threadLocal() {
        return ThreadLocalStorage.INSTANCE;
    }

    /**
     * One value per logical context.
     *
     * @param <T> the type of value kept
     */
    interface Slot<T> {
        /** {@return the current context's value, or {@code null} when none is set} */
        T get();

        /**
         * Sets the current context's value.
         *
         * @param value the value; {@code null} clears it (nothing may keep the old value reachable)
         */
        void set(T value);
    }
}
