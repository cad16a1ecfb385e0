package dev.txkit;

import dev.txkit.table.Table;

import java.sql.Connection;

/**
 * One database transaction, as handed to a callback or returned by {@link Database#begin()}.
 * Closing it without {@link #commit()} rolls it back; any use after it ended fails with
 * {@link ErrorCode#CLOSED}.
 *
 * <p>A transaction is meant for the thread that began it. Statements issued from several threads
 * (see the propagation helpers) are serialized, never interleaved on the connection.
 */
public interface Transaction extends AutoCloseable {

    /**
     * A statement to run in this transaction. Nothing is sent until a terminal method of the
     * {@link Sql} is called.
     *
     * @param sql the statement, with {@code ?} placeholders
     * @param args the values bound to the placeholders, in order; their number must match
     *             ({@link ErrorCode#INVALID_ARGUMENT} otherwise)
     * @return the statement, ready to run
     */
    Sql sql(String sql, Object... args);

    /**
     * Commits. For a {@link Propagation#REQUIRED} or {@code MANDATORY} scope that joined an outer
     * transaction this fails with {@link ErrorCode#MISUSE} and the scope stays open: it has nothing of
     * its own to commit, the outer transaction commits when its owner ends it (return from the
     * callback to end the scope). For a {@link Propagation#NESTED} scope it releases the scope's savepoint.
     */
    void commit();

    /**
     * Rolls back. For a {@link Propagation#REQUIRED} or {@code MANDATORY} scope that joined an outer
     * transaction it ends the scope and marks the whole outer transaction rollback-only: nothing of it
     * is written, and its commit fails with {@link ErrorCode#ROLLBACK_ONLY}. For a
     * {@link Propagation#NESTED} scope it undoes only the scope (back to its savepoint).
     */
    void rollback();

    /** Rolls back unless {@link #commit()} or {@link #rollback()} already ended the transaction. */
    @Override
    void close();

    /**
     * Marks the transaction so that it can only roll back, for code (an integration, a validation
     * step) that decides the work must not commit but should not throw. A scope that joined an outer
     * transaction ({@link Propagation#REQUIRED}, {@code MANDATORY}) marks that physical transaction;
     * a {@link Propagation#NESTED} scope marks only itself: it rolls back to its savepoint when it
     * ends. A marked transaction never commits: the commit (explicit, or when the callback returns)
     * rolls back and fails with {@link ErrorCode#ROLLBACK_ONLY}, so the caller cannot take the work
     * for saved. Fails with {@link ErrorCode#CLOSED} after the end.
     */
    void setRollbackOnly();

    /**
     * {@return whether {@link #setRollbackOnly()} was called, or a joined scope failed, so that this
     * transaction can only roll back}
     */
    boolean isRollbackOnly();

    /**
     * Sets a savepoint with a generated, unique name.
     *
     * @return the savepoint, for {@link #rollbackTo} and {@link #release}
     */
    Savepoint savepoint();

    /**
     * Undoes everything done after {@code savepoint}; the savepoint stays usable.
     *
     * @param savepoint a savepoint of this transaction that has not been released
     */
    void rollbackTo(Savepoint savepoint);

    /**
     * Forgets {@code savepoint}; what was done after it stays.
     *
     * @param savepoint a savepoint of this transaction that has not been released
     */
    void release(Savepoint savepoint);

    /**
     * Runs {@code hook} once after the outermost transaction commits; never after a rollback.
     *
     * @param hook the code to run on the committing thread
     */
    void afterCommit(Runnable hook);

    /**
     * Runs {@code hook} once after the outermost transaction rolls back; never after a commit. With
     * retries every failed attempt is its own rolled-back transaction, so a hook registered during
     * an attempt runs when that attempt rolls back.
     *
     * @param hook the code to run on the thread that rolls back
     */
    void afterRollback(Runnable hook);

    /**
     * Queues a side effect (send the e-mail, publish the event, call the payment provider) to run
     * once, after the final successful commit of the outermost transaction. When an attempt fails
     * and is retried, what it queued is discarded with it, so the side effects of a transaction that
     * took four attempts run exactly once; when a {@link Propagation#NESTED} scope rolls back to its
     * savepoint, what it queued is discarded too. Side effects run in queue order on the committing
     * thread; one that throws is reported to the listeners and does not affect the others or the
     * commit, which stands.
     *
     * @param sideEffect the side effect to run after the final commit
     */
    default void defer(Runnable sideEffect) {
        afterCommit(sideEffect);
    }

    /**
     * Which attempt of the outermost transaction this is, starting at 1 (see
     * {@link dev.txkit.retry.RetryPolicy}). A joined scope reports its outer transaction's attempt.
     * Transactions from {@link Database#begin()} are never retried and always report 1.
     *
     * @return the attempt number, 1 for the first run
     */
    default int attempt() {
        return 1;
    }

    /**
     * The JDBC connection, as a view for code that needs plain JDBC. Its {@code close},
     * {@code commit}, {@code rollback} and {@code setAutoCommit(true)} fail with
     * {@link ErrorCode#MISUSE}: the transaction owns them. {@code setAutoCommit(false)} is a no-op
     * (autocommit already is off, and libraries such as JDBI call it).
     *
     * @return the view of this transaction's connection
     */
    Connection connection();

    /**
     * The table of record type {@code type}, bound to this transaction: its statements run here.
     * Invalid record definitions fail with {@link ErrorCode#INVALID_ARGUMENT}.
     *
     * @param <T> the record type
     * @param type a record class describing the table (see {@link Table})
     * @return the table, bound to this transaction
     */
    <T> Table<T> table(Class<T> type);

    /** {@return the options this transaction was started with} */
    TxOptions options();

    /** {@return whether the transaction can still run statements: it has not ended} */
    boolean isActive();
}
