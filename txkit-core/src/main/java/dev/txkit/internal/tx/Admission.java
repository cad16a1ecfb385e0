package dev.txkit.internal.tx;

/**
 * What a transaction started behind admission control may do with its place (implemented by the
 * contention package's permit). Not thread-safe: one attempt, one thread.
 */
public interface Admission {
    /** Gives up the place before the attempt has ended, so the key's next attempt can start. At most once counts. */
    void leave();

    /**
     * Whether the key admits one at a time now; then, where reads wait for writes, the attempt may give up
     * its place at its first write and the key's next attempt follows it (see {@link TxBegin}).
     */
    boolean single();

    /** The attempt will give up its place at its first write: its outcome tells the key whether that works. */
    void leavingAtWrite();

    /**
     * Whether the key is contended: colliding when this attempt was admitted, or since a collision within the
     * last second its attempts have kept overlapping (attempts that lock their reads stop colliding, so by
     * collisions alone the key would cool while as busy as before). Default: no.
     */
    default boolean hot() {
        return false;
    }

    /**
     * The attempt sends its plain SELECTs as {@code SELECT … FOR UPDATE} (see {@link TxBegin}): its first read
     * will be a locking one, which admission may bound per row. Called before {@link #probesRows}.
     */
    default void readsLock() {
    }

    /** Whether the attempt should name its row at its first statement ({@link #firstStatement}). Default: no. */
    default boolean probesRows() {
        return false;
    }

    /**
     * The attempt's first statement, not sent yet: its text and its arguments ({@code Object[]} or {@code List}).
     * Admission may move the attempt to the row's own limit, or end it by throwing so that it starts again once
     * the row admits it (nothing has been sent by then that the rollback would not undo).
     */
    default void firstStatement(String sql, Object values) {
    }
}
