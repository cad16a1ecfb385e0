package dev.txkit.table;

/**
 * The outcome of {@link Table#tryUpdate}: exactly one of {@link Updated}, {@link Conflict} or
 * {@link NotFound}, so callers handle every case ({@code if (r instanceof UpdateResult.Conflict<Seat> c) …},
 * or a pattern {@code switch} on Java 21). Immutable.
 *
 * @param <T> the record type
 */
public sealed interface UpdateResult<T> permits UpdateResult.Updated, UpdateResult.Conflict, UpdateResult.NotFound {

    /**
     * The row was written.
     *
     * @param <T> the record type
     * @param record the row as stored, with its new version
     */
    record Updated<T>(T record) implements UpdateResult<T> {
    }

    /**
     * The row exists but another writer changed it since it was read: nothing was written.
     * {@code current} is the row as the transaction sees it now (read with {@code FOR UPDATE} inside a
     * transaction where the database has row locks, so it is the latest committed version).
     *
     * @param <T> the record type
     * @param current the row as the transaction sees it now
     */
    record Conflict<T>(T current) implements UpdateResult<T> {
    }

    /**
     * No row has the record's id.
     *
     * @param <T> the record type
     */
    record NotFound<T>() implements UpdateResult<T> {
    }
}
