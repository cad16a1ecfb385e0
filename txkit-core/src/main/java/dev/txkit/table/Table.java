package dev.txkit.table;

import java.util.Collection;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Typed access to one table whose rows are a Java record: one {@link Id @Id} component, optionally
 * one {@link Version @Version} component for optimistic concurrency control, columns named after
 * the components in snake_case (override with {@link Column @Column}, the table with
 * {@link TableName @TableName}). Records are validated at first use; a bad definition fails with
 * {@link dev.txkit.ErrorCode#INVALID_ARGUMENT} naming the record and component. Not an ORM: no
 * sessions, no lazy loading, no dirty checking — every method is one statement (or one small
 * transaction) you could have written by hand.
 *
 * <p>From {@code db.table(Seat.class)}, statements join the transaction of the current scope, or
 * run in autocommit when there is none; from {@code tx.table(Seat.class)} they run in {@code tx}.
 * Operations of several statements ({@link #insertAll}, {@link #insertWithChildren}) are all or
 * nothing: in their own transaction, or under a savepoint inside an existing one.
 *
 * <p>Thread-safe and cheap to create; it holds no connection.
 *
 * @param <T> the record type
 */
public interface Table<T> {

    /** {@return the record type whose components are the columns} */
    Class<T> type();

    /** {@return the table name as validated (before quoting)} */
    String name();

    /**
     * Inserts {@code record} and returns it as stored: with the generated id when the {@code @Id}
     * was {@code null}, and with version 1 when the {@code @Version} was {@code null} or 0.
     *
     * @param record the row to insert
     * @return the row as stored
     */
    T insert(T record);

    /**
     * Inserts all records with one JDBC batch, all or nothing (Prisma's {@code createMany}), and
     * returns how many were inserted. Generated ids are not read back; use {@link #insert} per
     * record when you need them.
     *
     * @param records the rows to insert; an empty collection inserts nothing
     * @return how many rows were inserted
     */
    int insertAll(Collection<? extends T> records);

    /**
     * A nested write: inserts {@code parent}, then each child after {@code link} has filled in the
     * foreign key from the stored parent (e.g. {@code (post, user) -> post.withAuthorId(user.id())}),
     * all or nothing: a failure on any child leaves neither parent nor children.
     *
     * @param <C> the child record type
     * @param parent the parent row
     * @param childTable the children's table
     * @param children the child rows, before their foreign key is set
     * @param link returns the child with its foreign key taken from the stored parent
     * @return the stored parent and the stored children, in order
     */
    <C> WithChildren<T, C> insertWithChildren(T parent, Table<C> childTable, Collection<? extends C> children,
                                              BiFunction<? super C, ? super T, ? extends C> link);

    /**
     * Reads the row with this id.
     *
     * @param id the id, of the {@code @Id} component's type
     * @return the row, or empty when there is none
     */
    Optional<T> find(Object id);

    /**
     * Reads the row with this id, which must exist.
     *
     * @param id the id, of the {@code @Id} component's type
     * @return the row
     * @throws dev.txkit.TxkitException {@link dev.txkit.ErrorCode#NOT_FOUND} (HTTP 404) when there is none
     */
    T get(Object id);

    /** {@return a query over all rows, to narrow down} */
    Query<T> query();

    /**
     * Shorthand for {@code query().where(column, value)}.
     *
     * @param column a component or column name
     * @param value the value to compare with; {@code null} means {@code IS NULL}
     * @return the query
     */
    Query<T> where(String column, Object value);

    /**
     * Shorthand for {@code query().where(column, op, value)}.
     *
     * @param column a component or column name
     * @param op the comparison
     * @param value the value to compare with
     * @return the query
     */
    Query<T> where(String column, Op op, Object value);

    /** {@return the number of rows} */
    long count();

    /**
     * Writes every non-id column of {@code record}. With a {@code @Version}: only if the stored version
     * equals the record's ({@code where id = ? and version = ?}), storing version + 1, and returns the
     * record with the new version; another version fails with
     * {@link dev.txkit.ErrorCode#OPTIMISTIC_CONFLICT} (HTTP 409: "modified by another user; refresh and
     * try again"). A missing row fails with {@link dev.txkit.ErrorCode#NOT_FOUND}. Nothing is written
     * when it fails.
     *
     * @param record the row with its id and the version it was read at
     * @return the record as stored, with its new version
     */
    T update(T record);

    /**
     * Like {@link #update} but returns the outcome instead of throwing for a conflict or a missing row.
     *
     * @param record the row with its id and the version it was read at
     * @return the stored record, or which of the two failures it was
     */
    UpdateResult<T> tryUpdate(T record);

    /**
     * Deletes the row with this id.
     *
     * @param id the id, of the {@code @Id} component's type
     * @return whether there was such a row
     */
    boolean delete(Object id);

    /**
     * Inserts {@code record}, or, when a row with its id exists, overwrites that row's other columns
     * (and adds 1 to its version), in one statement: {@code ON CONFLICT} on PostgreSQL and SQLite,
     * {@code ON DUPLICATE KEY UPDATE} on MariaDB (which also fires on other unique keys), {@code MERGE}
     * on H2.
     *
     * @param record the row; its id must not be {@code null} ({@link dev.txkit.ErrorCode#INVALID_ARGUMENT})
     * @return the row as stored
     */
    T upsert(T record);

    /**
     * {@link #get} with {@code SELECT … FOR UPDATE}: the row stays locked until the transaction ends.
     * Must run inside a transaction ({@link dev.txkit.ErrorCode#MISUSE} otherwise).
     *
     * @param id the id, of the {@code @Id} component's type
     * @return the locked row
     */
    T getForUpdate(Object id);

    /**
     * {@link #get} with a locking read of the given mode. With {@link RowLock#SKIP_LOCKED} a row held by
     * another transaction counts as absent (NOT_FOUND). Must run inside a transaction.
     *
     * @param id the id, of the {@code @Id} component's type
     * @param mode how to treat a row another transaction holds
     * @return the locked row
     */
    T getForUpdate(Object id, RowLock mode);

    /**
     * An atomic read-modify-write of the row with this id: reads it with a row lock, applies
     * {@code change}, writes the result (with a {@code @Version}: the stored version plus 1) and returns
     * it as stored. A row that does not exist is {@link dev.txkit.ErrorCode#NOT_FOUND}.
     *
     * <p>Inside a transaction it runs there, like {@link #getForUpdate} plus {@link #update}. Outside,
     * concurrent {@code modify} calls for the same table and id in this JVM are <em>combined</em> (group
     * commit): one caller leads a transaction with one locking read, applies every queued change in
     * arrival order to the previous one's result, writes once and commits once; each caller gets the row
     * as of its own change, and its own version (the version rises by one per change, as if they had run
     * one after the other). Callers arriving while a batch commits form the next batch (no timer: alone,
     * a call costs what getForUpdate + update cost); a batch holds at most 128 changes.
     *
     * <p>A change that throws is rejected alone: its exception reaches only its caller and the next change
     * sees the row as if it had not run. A failure of the batch's transaction reaches every caller of the
     * batch with the same exception (also {@link dev.txkit.ErrorCode#COMMIT_UNKNOWN}); write conflicts
     * with other processes are retried as a whole, so {@code change} may run more than once and must be
     * pure. A constraint violation of a batch is retried change by change, so it reaches only the caller
     * whose change caused it. Listeners see one transaction per batch and a {@code combined} event.
     *
     * <p>Needs row locks for the combined read (PostgreSQL, MariaDB, H2); on SQLite, which locks the whole
     * database for writing, the read is a plain one and a busy database is retried as a lock timeout.
     *
     * @param <X> the checked exception {@code change} may throw
     * @param id the id, of the {@code @Id} component's type
     * @param change computes the new row from the current one; pure, may run more than once
     * @return the row as stored after this caller's change
     * @throws X what {@code change} threw, to this caller only; nothing of its change is written
     */
    default <X extends Exception> T modify(Object id, Modifier<T, X> change) throws X {
        if (change == null) {
            throw dev.txkit.TxkitException.of(dev.txkit.ErrorCode.INVALID_ARGUMENT, "the change must not be null");
        }
        return modify(id, null, (current, addRow) -> change.apply(current));
    }

    /**
     * {@link #modify(Object, Modifier)} where each change may also add rows to {@code rows} (for example a
     * ledger row per deduction), inserted in the same transaction only if that change is accepted — all
     * rows of a combined batch as one JDBC batch. Generated ids of added rows are not read back. With
     * {@code rows} {@code null} there is no rows table and a change that adds a row is rejected.
     *
     * @param <C> the added rows' record type
     * @param <X> the checked exception {@code change} may throw
     * @param id the id, of the {@code @Id} component's type
     * @param rows the table of added rows, or {@code null}
     * @param change computes the new row and may add rows; pure, may run more than once
     * @return the row as stored after this caller's change
     * @throws X what {@code change} threw, to this caller only; nothing of its change is written
     */
    <C, X extends Exception> T modify(Object id, Table<C> rows, ModifierWithRows<T, C, X> change) throws X;
}
