package dev.txkit.benchmarks.harness.strategy;

import dev.txkit.benchmarks.harness.Access;
import dev.txkit.benchmarks.harness.Codes;
import dev.txkit.benchmarks.harness.Env;
import dev.txkit.benchmarks.harness.Operation;
import dev.txkit.benchmarks.harness.Result;
import dev.txkit.benchmarks.harness.Tally;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

import java.sql.SQLException;

/**
 * JDBI 3's {@code SerializableTransactionRunner} (10 retries, no backoff; it retries SQLSTATE 40001 only,
 * so a PostgreSQL deadlock, 40P01, ends the operation) around {@code jdbi.inTransaction(SERIALIZABLE, …)}.
 * Aborts are counted through the runner's {@code onFailure} hook (see {@link Env}).
 *
 * <p>Stateless; thread-safe.
 */
public final class JdbiSerializable extends Named {
    public JdbiSerializable() {
        super("jdbi", "none", Access.PLAIN);
    }

    @Override
    public Result run(Env env, Operation op, Tally tally) throws Exception {
        try {
            return env.jdbi.inTransaction(TransactionIsolationLevel.SERIALIZABLE, h -> {
                tally.attempt();
                return op.jdbc(h.getConnection(), Access.PLAIN);
            });
        } catch (Exception e) {
            if (!serialization(e)) {
                // Not the runner's 40001 (those reach onFailure): it was thrown at once, count it here.
                tally.abort(Codes.of(e));
            }
            throw e;
        }
    }

    private static boolean serialization(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("40001")) {
                return true;
            }
        }
        return false;
    }
}
