package dev.txkit.spi;

/** The default {@link ContextStorage}: a plain {@link ThreadLocal} per slot. */
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

            /**
             * {@code null} drops the value but keeps the thread's (now empty) entry, which only refers
             * to this slot weakly: no transaction stays reachable from a pooled thread. Removing the
             * entry would make the next {@code get()} create it again ({@link ThreadLocal#get} does on
             * a miss), an allocation and a rehash of the thread's map per transaction.
             */
            @Override
            public void set(T value) {
                local.set(value);
            }

            @Override
            public String toString() {
                return "thread-local slot " + name;
            }
        };
    }
}
