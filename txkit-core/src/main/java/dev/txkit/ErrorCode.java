package dev.txkit;

/**
 * Stable error codes carried by every {@link TxkitException}. The code, not the message, is what
 * callers should switch on; each code fixes the HTTP status a web layer should answer with and
 * whether running the whole unit of work again can help.
 *
 * <p>Thread-safe (an enum).
 */
public enum ErrorCode {
    /** A write conflict or serialization failure (PostgreSQL 40001, MariaDB 1020); retry the transaction. */
    CONFLICT(409, true),
    /** The database chose this transaction as a deadlock victim (40P01, 1213); retry the transaction. */
    DEADLOCK(409, true),
    /** A lock could not be had in time or at once (55P03, 1205, NOWAIT); retrying may help. */
    LOCK_TIMEOUT(409, true),
    /** A version-checked update matched no row because the version moved on: refresh and try again. */
    OPTIMISTIC_CONFLICT(409, false),
    /** A unique or primary key constraint was violated (23505, 1062). */
    UNIQUE_VIOLATION(409, false),
    /** Another integrity constraint (foreign key, check, not null) was violated (class 23). */
    CONSTRAINT_VIOLATION(409, false),
    /** An expected row does not exist. */
    NOT_FOUND(404, false),
    /** The transaction ran past its wall-clock timeout and was rolled back. */
    TIMEOUT(503, false),
    /**
     * A statement was cancelled from outside txkit before any txkit deadline passed (PostgreSQL
     * {@code pg_cancel_backend}, 57014; MariaDB {@code KILL QUERY}, 1317): an operator or another
     * tool stopped it. The transaction was rolled back; it is not retried on its own.
     */
    CANCELLED(503, false),
    /** No connection could be had from the pool within {@code maxWait}. */
    ACQUIRE_TIMEOUT(503, true),
    /** The pool cannot supply a connection this thread needs while it holds others: waiting would never end. */
    POOL_EXHAUSTED(503, false),
    /**
     * Contention control did not admit the transaction within its timeout: too many transactions of the
     * same contention key were queued ahead of it (see {@code Database.contention()}). Nothing ran.
     */
    ADMISSION_TIMEOUT(503, true),
    /** The connection was lost while COMMIT was in flight: the transaction may or may not have committed. */
    COMMIT_UNKNOWN(503, false),
    /** The connection failed outside of COMMIT (class 08, admin shutdown); the work was not committed. */
    CONNECTION_FAILURE(503, true),
    /** The transaction (or statement) was used after it ended. */
    CLOSED(500, false),
    /** The library was used in a way that cannot work; the message names the fix. */
    MISUSE(500, false),
    /** A statement waited on a lock held by a transaction of the same process whose owner is waiting too. */
    SELF_DEADLOCK(500, false),
    /** A joined scope failed, so the shared transaction was rolled back instead of committed. */
    ROLLBACK_ONLY(500, false),
    /** A write was attempted in a read-only transaction. */
    READ_ONLY_VIOLATION(500, false),
    /** The database cannot do what was asked (an isolation level, a locking clause). */
    UNSUPPORTED(501, false),
    /** A caller-supplied value is invalid; nothing was sent to the database. */
    INVALID_ARGUMENT(400, false),
    /**
     * An idempotency key was used again with a different request (its fingerprint differs from the
     * one stored with the key); nothing was run. Use a new key for a new request.
     */
    IDEMPOTENCY_MISMATCH(422, false),
    /** Any other database error (syntax, missing table, data error). */
    SQL_ERROR(500, false);

    private final int httpStatus;
    private final boolean retryable;

    ErrorCode(int httpStatus, boolean retryable) {
        this.httpStatus = httpStatus;
        this.retryable = retryable;
    }

    /** {@return the HTTP status a web layer should answer with for this failure} */
    public int httpStatus() {
        return httpStatus;
    }

    /** {@return whether running the whole transaction again, unchanged, can succeed} */
    public boolean retryable() {
        return retryable;
    }
}
