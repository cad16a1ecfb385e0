package dev.txkit.table;

/**
 * How a locking read ({@code SELECT … FOR UPDATE}) behaves when another transaction holds the row.
 * PostgreSQL, MariaDB (10.6+) and H2 support all three; SQLite has no row locks, so locking reads
 * fail there with {@link dev.txkit.ErrorCode#UNSUPPORTED}.
 */
public enum RowLock {
    /** Wait for the other transaction (bounded by the transaction timeout and the database's lock timeout). */
    WAIT,
    /** Fail at once with {@link dev.txkit.ErrorCode#LOCK_TIMEOUT} (PostgreSQL 55P03, MariaDB 3572). */
    NOWAIT,
    /**
     * Silently skip rows other transactions hold: the next free row of a queue ("the next free seat").
     * Works as a queue on PostgreSQL and MariaDB (with an index on the queue's criteria and order); H2
     * locks every row a locking query reads before applying the limit, so there a second taker finds
     * nothing while the first holds its row.
     */
    SKIP_LOCKED
}
