package dev.txkit.internal.idempotency;

import dev.txkit.TxkitException;
import dev.txkit.dialect.Dialect;
import dev.txkit.internal.jdbc.SqlImpl;
import dev.txkit.internal.jdbc.StatementExecutor;

/**
 * Creates the idempotency table with the DDL its dialect gives (documented in the README). Times are
 * epoch milliseconds from the application's clock, which keeps the table identical on every database.
 * Stateless.
 */
final class IdempotencyDdl {
    private IdempotencyDdl() {
    }

    /**
     * Runs the DDL in autocommit. Two processes creating the table at once can make PostgreSQL
     * report a duplicate catalog entry; if the table is usable afterwards, that failure is moot.
     */
    static void create(StatementExecutor autocommit, Dialect d) {
        for (String ddl : d.idempotencyTableDdl(Idempotency.TABLE)) {
            try {
                new SqlImpl(autocommit, ddl, new Object[0]).update();
            } catch (TxkitException e) {
                try {
                    new SqlImpl(autocommit, "SELECT COUNT(*) FROM " + Idempotency.TABLE + " WHERE 1 = 0",
                            new Object[0]).one(Long.class);
                } catch (TxkitException notThere) {
                    e.addSuppressed(notThere);
                    throw e;
                }
            }
        }
    }
}
