package dev.txkit.internal.tx;

import dev.txkit.TxOptions;
import dev.txkit.dialect.Dialect;
import dev.txkit.internal.jdbc.StatementExecutor;
import dev.txkit.internal.retry.StatementRetry;

/** Runs {@code db.sql(...)}: in the scope's transaction if there is one, else in autocommit. Thread-safe. */
final class Router implements StatementExecutor {
    private final TxRuntime rt;
    private final TxOptions autocommitRetry;

    Router(TxRuntime rt) {
        this.rt = rt;
        this.autocommitRetry = StatementRetry.optionsFor(rt.settings().defaults);
    }

    @Override
    public String forRead(String sql) {
        PhysicalTx tx = rt.current();
        return tx != null ? tx.forRead(sql) : sql;
    }

    @Override
    public void atStatement(String sql, Object values) {
        PhysicalTx tx = rt.current();
        if (tx != null) {
            tx.atStatement(sql, values);
        }
    }

    @Override
    public <T> T execute(String sql, Work<T> work) {
        if (rt.isClosed()) { // the message abbreviates the SQL (a regex): build it only when it is thrown
            rt.requireOpen(dev.txkit.internal.jdbc.Errors.abbreviate(sql));
        }
        PhysicalTx tx = rt.current();
        if (tx != null) {
            if (rt.settings().strict) {
                throw TxMessages.strictMisuse(tx, "db.sql(...)");
            }
            return tx.execute(sql, work);
        }
        return StatementRetry.run(autocommitRetry,
                (failed, delay, failure) -> rt.listeners().emit(l -> l.retryScheduled(failed, delay, failure)),
                () -> rt.autocommit().execute(sql, work));
    }

    @Override
    public Dialect dialect() {
        return rt.dialects().orGeneric();
    }

    @Override
    public dev.txkit.internal.jdbc.SqlChecks sqlChecks() {
        return rt.sqlChecks;
    }
}
