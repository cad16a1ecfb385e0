package dev.txkit.table;

/**
 * What the retried attempts of an optimistic read-modify-write do when an attempt lost a
 * conflict (see {@link dev.txkit.Database#optimistic}).
 */
public enum LockEscalation {
    /** Every attempt reads without locks: pure optimistic control. On a hot row it can lose again and again. */
    NONE,
    /**
     * After a conflict, {@link Table#find} and {@link Table#get} in the retried attempts read with
     * {@code FOR UPDATE}: the row cannot change between read and write, so the retry cannot lose
     * again (no livelock on a hot row). Cold rows keep the lock-free cost. Ignored on SQLite, which
     * has no row locks and serializes writers anyway.
     */
    AFTER_CONFLICT
}
