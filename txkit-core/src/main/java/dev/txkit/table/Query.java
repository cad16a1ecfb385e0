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

    /**
     * AND {@code column = value}.
     *
     * @param column a component or column name of the record ({@link dev.txkit.ErrorCode#INVALID_ARGUMENT} otherwise)
     * @param value the value, bound; {@code null} means {@code IS NULL}
     * @return a new query with the condition
     */
    Query<T> where(String column, Object value);

    /**
     * AND {@code column op value}.
     *
     * @param column a component or column name of the record
     * @param op the comparison
     * @param value the value, bound; {@code null} is allowed with {@link Op#EQ} / {@link Op#NE} only
     * @return a new query with the condition
     */
    Query<T> where(String column, Op op, Object value);

    /**
     * AND {@code column IN (values…)}.
     *
     * @param column a component or column name of the record
     * @param values the values, each bound; an empty collection matches no row
     * @return a new query with the condition
     */
    Query<T> whereIn(String column, Collection<?> values);

    /**
     * Then order by {@code column} ascending.
     *
     * @param column a component or column name of the record
     * @return a new query with the ordering
     */
    Query<T> orderBy(String column);

    /**
     * Then order by {@code column} descending.
     *
     * @param column a component or column name of the record
     * @return a new query with the ordering
     */
    Query<T> orderByDesc(String column);

    /**
     * At most {@code n} rows.
     *
     * @param n zero or more ({@link dev.txkit.ErrorCode#INVALID_ARGUMENT} when negative)
     * @return a new query with the limit
     */
    Query<T> limit(int n);

    /** {@return the matching rows, in the query's order} */
    List<T> list();

    /** {@return the first matching row (in the query's order), or empty when none matches} */
    Optional<T> first();

    /** {@return how many rows match (ordering and limit are ignored)} */
    long count();

    /**
     * Updates every matching row in one statement (Prisma's {@code updateMany}) and returns how many
     * matched. A {@link Version} column is incremented too. Not combinable with orderBy/limit, and the
     * {@code @Id} and {@code @Version} columns cannot be changed ({@link dev.txkit.ErrorCode#INVALID_ARGUMENT}).
     *
     * @param changes at least one assignment, each column at most once
     * @return how many rows matched
     */
    int updateAll(Change... changes);

    /**
     * Deletes every matching row in one statement (Prisma's {@code deleteMany}). Not combinable with
     * orderBy/limit.
     *
     * @return how many rows were deleted
     */
    int deleteAll();

    /**
     * Reads and locks the matching rows ({@code SELECT … FOR UPDATE [NOWAIT | SKIP LOCKED]}) until the
     * transaction ends. Must run inside a transaction (else {@link dev.txkit.ErrorCode#MISUSE}).
     *
     * @param mode how to treat rows other transactions hold
     * @return the locked rows
     */
    List<T> lock(RowLock mode);

    /**
     * Locks and returns the first matching row. With {@link RowLock#SKIP_LOCKED} this is a work queue:
     * concurrent callers each get a different row ({@code where("status", "free").orderBy("seat")}).
     * Give such a queue an index on its criteria and order columns: MariaDB and H2 lock every row a
     * locking read scans, so without one the first caller locks them all and the others get nothing.
     *
     * @param mode how to treat rows other transactions hold
     * @return the locked row, or empty when none matches (or, with SKIP_LOCKED, none is free)
     */
    Optional<T> lockFirst(RowLock mode);
}
