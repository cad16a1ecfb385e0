package dev.txkit.table;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Simple criteria over one {@link Table}: conditions joined with AND, ordering and a limit, then one
 * terminal operation. Column names are record component names ({@code createdAt}) or column names
 * ({@code created_at}) and are checked against the record; values are always bound, never spliced
 * into the SQL. Immutable: every builder method returns a new query, so a query can be kept and
 * reused from any thread. Terminal methods run in the table's transaction (see {@link Table}).
 *
 * @param <T> the record type
 */
public interface Query<T> {

    /** AND {@code column = value}; a {@code null} value means {@code IS NULL}. */
    Query<T> where(String column, Object value);

    /** AND {@code column op value}; {@code null} is allowed with {@link Op#EQ} / {@link Op#NE} only. */
    Query<T> where(String column, Op op, Object value);

    /** AND {@code column IN (values…)}; an empty collection matches no row. */
    Query<T> whereIn(String column, Collection<?> values);

    /** Then order by {@code column} ascending. */
    Query<T> orderBy(String column);

    /** Then order by {@code column} descending. */
    Query<T> orderByDesc(String column);

    /** At most {@code n} rows (n ≥ 0). */
    Query<T> limit(int n);

    /** The matching rows. */
    List<T> list();

    /** The first matching row (in the query's order), if any. */
    Optional<T> first();

    /** How many rows match (ordering and limit are ignored). */
    long count();

    /**
     * Updates every matching row in one statement (Prisma's {@code updateMany}) and returns how many
     * matched. A {@link Version} column is incremented too. Not combinable with orderBy/limit.
     */
    int updateAll(Change... changes);

    /** Deletes every matching row in one statement (Prisma's {@code deleteMany}); returns how many. */
    int deleteAll();

    /**
     * Reads and locks the matching rows ({@code SELECT … FOR UPDATE [NOWAIT | SKIP LOCKED]}) until the
     * transaction ends. Must run inside a transaction (else {@link dev.txkit.ErrorCode#MISUSE}).
     */
    List<T> lock(RowLock mode);

    /**
     * Locks and returns the first matching row. With {@link RowLock#SKIP_LOCKED} this is a work queue:
     * concurrent callers each get a different row ({@code where("status", "free").orderBy("seat")}).
     * Give such a queue an index on its criteria and order columns: MariaDB and H2 lock every row a
     * locking read scans, so without one the first caller locks them all and the others get nothing.
     */
    Optional<T> lockFirst(RowLock mode);
}
