package dev.txkit.jooq;

import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.Propagation;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import org.jooq.TransactionContext;
import org.jooq.TransactionProvider;
import org.jooq.impl.DataSourceConnectionProvider;

/**
 * Runs jOOQ's {@code DSLContext.transaction(...)} as txkit transactions. jOOQ's default provider
 * commits the connection itself, which a txkit transaction's connection refuses (MISUSE); this one
 * asks txkit instead: inside a txkit transaction scope a jOOQ transaction is a
 * {@link Propagation#NESTED} scope (a savepoint: a failure inside undoes only the jOOQ block, and
 * the outer transaction still decides the commit), outside any scope it is a txkit transaction of
 * its own (timeout, deadline and self-deadlock detection included; never retried, since jOOQ
 * runs the block, not txkit). The block's queries run on the transaction's connection, whatever
 * connection provider the {@code DSLContext} was built with.
 *
 * <pre>{@code
 * DSLContext dsl = DSL.using(new DefaultConfiguration().set(db.dataSource()).set(SQLDialect.POSTGRES)
 *         .set(new TxkitTransactionProvider(db)));
 * db.useTransaction(tx -> {
 *     tx.sql("update account set balance = balance - 10 where id = 1").update();
 *     dsl.transaction(c -> c.dsl().execute("insert into ledger values (1, -10)"));   // a savepoint
 * });
 * }</pre>
 *
 * <p>Thread-safe: holds only the Database and the options; the transaction of each call lives in
 * jOOQ's {@link TransactionContext}.
 */
public final class TxkitTransactionProvider implements TransactionProvider {
    private final Database db;
    private final TxOptions options;

    /**
     * jOOQ transactions with the Database's default options (propagation NESTED).
     *
     * @param db the Database whose transactions {@code DSLContext.transaction(...)} runs in
     * @throws TxkitException {@link ErrorCode#INVALID_ARGUMENT} for {@code null}
     */
    public TxkitTransactionProvider(Database db) {
        this(db, db == null ? null : db.defaults());
    }

    /**
     * jOOQ transactions with {@code options} (their propagation is always NESTED, see the class comment).
     *
     * @param db the Database whose transactions {@code DSLContext.transaction(...)} runs in
     * @param options the options of a transaction begun outside any txkit transaction
     * @throws TxkitException {@link ErrorCode#INVALID_ARGUMENT} when either is {@code null}
     */
    public TxkitTransactionProvider(Database db, TxOptions options) {
        if (db == null || options == null) {
            throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, (db == null ? "db" : "options") + " must not be null");
        }
        this.db = db;
        this.options = options.withPropagation(Propagation.NESTED);
    }

    @Override
    public void begin(TransactionContext ctx) {
        dev.txkit.Transaction tx = db.begin(options);
        ctx.transaction(new Holder(tx));
        // jOOQ hands the block a derived configuration: route its queries through txkit, so that a
        // DSLContext built on the raw pool cannot run them beside the transaction
        ctx.configuration().set(new DataSourceConnectionProvider(db.dataSource()));
    }

    @Override
    public void commit(TransactionContext ctx) {
        transaction(ctx).commit();
    }

    @Override
    public void rollback(TransactionContext ctx) {
        dev.txkit.Transaction tx = ctx.transaction() instanceof Holder h ? h.tx : null;
        if (tx != null) {
            tx.close(); // rolls back unless already ended (a failed commit has rolled back itself)
        }
    }

    private static dev.txkit.Transaction transaction(TransactionContext ctx) {
        if (ctx.transaction() instanceof Holder h) {
            return h.tx;
        }
        throw TxkitException.of(ErrorCode.MISUSE, "the jOOQ transaction context holds no txkit transaction;"
                + " begin() of this provider did not run for it");
    }

    /** jOOQ's handle on the txkit transaction (or nested scope) of one {@code transaction(...)} call. */
    private record Holder(dev.txkit.Transaction tx) implements org.jooq.Transaction {
    }
}
