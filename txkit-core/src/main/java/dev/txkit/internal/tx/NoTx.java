package dev.txkit.internal.tx;

import dev.txkit.ErrorCode;
import dev.txkit.Savepoint;
import dev.txkit.Sql;
import dev.txkit.Transaction;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.internal.jdbc.SqlImpl;
import dev.txkit.table.Table;

import java.sql.Connection;

/** What a {@link dev.txkit.Propagation#NEVER} callback receives: statements run in autocommit. */
public final class NoTx implements Transaction {
    private final TxRuntime rt;
    private final TxOptions options;

    public NoTx(TxRuntime rt, TxOptions options) {
        this.rt = rt;
        this.options = options;
    }

    @Override
    public Sql sql(String sql, Object... args) {
        return new SqlImpl(rt.router(), sql, args);
    }

    /** Outside any transaction: statements run in autocommit, like {@code db.table} with no scope. */
    @Override
    public <T> Table<T> table(Class<T> type) {
        return rt.tables().table(null, type);
    }

    private static TxkitException none(String what) {
        return TxkitException.of(ErrorCode.MISUSE, what + " is not available: Propagation.NEVER runs without a transaction");
    }

    @Override
    public void commit() {
        throw none("commit()");
    }

    @Override
    public void rollback() {
        throw none("rollback()");
    }

    @Override
    public void close() {
    }

    @Override
    public void setRollbackOnly() {
        throw none("setRollbackOnly()");
    }

    @Override
    public boolean isRollbackOnly() {
        return false;
    }

    @Override
    public Savepoint savepoint() {
        throw none("savepoint()");
    }

    @Override
    public void rollbackTo(Savepoint savepoint) {
        throw none("rollbackTo()");
    }

    @Override
    public void release(Savepoint savepoint) {
        throw none("release()");
    }

    @Override
    public void afterCommit(Runnable hook) {
        throw none("afterCommit()");
    }

    @Override
    public void afterRollback(Runnable hook) {
        throw none("afterRollback()");
    }

    @Override
    public Connection connection() {
        throw none("connection()");
    }

    @Override
    public TxOptions options() {
        return options;
    }

    @Override
    public boolean isActive() {
        return false;
    }
}
