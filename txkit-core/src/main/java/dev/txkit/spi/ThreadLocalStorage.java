package dev.txkit.spi;

/** The default {@link ContextStorage}: a plain {@link ThreadLocal} per slot, removed when cleared. */
final class ThreadLocalStorage implements ContextStorage {
    static final ThreadLocalStorage INSTANCE = new ThreadLocalStorage();

    @Override
    public <T> Slot<T> newSlot(String name) {
        ThreadLocal<T> local = new ThreadLocal<>();
        return new Slot<T>() {
            @Override
            public T get() {
                return local.get();
            }

            @Override
            public void set(T value) {
                if (value == null) {
                    local.remove(); // no stale entry survives on pooled or virtual threads
                } else {
                    local.set(value);
                }
            }

            @Override
            public String toString() {
                return "thread-local slot " + name;
            }
        };
    }
}
