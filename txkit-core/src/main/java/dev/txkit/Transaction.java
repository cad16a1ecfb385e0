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

    /** A statement to run in this transaction; {@code ?} placeholders are bound to {@code args}. */
    Sql sql(String sql, Object... args);

    /** Commits. For a scope that joined an outer transaction this fails with {@link ErrorCode#MISUSE}. */
    void commit();

    /** Rolls back. For a scope that joined an outer transaction this fails with {@link ErrorCode#MISUSE}. */
    void rollback();

    /** Rolls back unless {@link #commit()} or {@link #rollback()} already ended the transaction. */
    @Override
    void close();

    /** Sets a savepoint with a generated, unique name. */
    Savepoint savepoint();

    /** Undoes everything done after {@code savepoint}; the savepoint stays usable. */
    void rollbackTo(Savepoint savepoint);

    /** Forgets {@code savepoint}. */
    void release(Savepoint savepoint);

    /** Runs {@code hook} once after the outermost transaction commits; never after a rollback. */
    void afterCommit(Runnable hook);

    /** Runs {@code hook} once after the outermost transaction rolls back; never after a commit. */
    void afterRollback(Runnable hook);

    /**
     * The JDBC connection, as a view for code that needs plain JDBC. Its {@code close},
     * {@code commit}, {@code rollback} and {@code setAutoCommit} fail with {@link ErrorCode#MISUSE}:
     * the transaction owns them.
     */
    Connection connection();

    /**
     * The table of record type {@code type}, bound to this transaction: its statements run here.
     * Invalid record definitions fail with {@link ErrorCode#INVALID_ARGUMENT}.
     */
    <T> Table<T> table(Class<T> type);

    /** The options this transaction was started with. */
    TxOptions options();

    /** Whether the transaction can still run statements. */
    boolean isActive();
}
