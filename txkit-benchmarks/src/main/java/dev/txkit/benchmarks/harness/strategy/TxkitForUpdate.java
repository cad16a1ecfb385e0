package dev.txkit.benchmarks.harness.strategy;

import dev.txkit.benchmarks.harness.Access;
import dev.txkit.benchmarks.harness.Env;
import dev.txkit.benchmarks.harness.Operation;
import dev.txkit.benchmarks.harness.Result;
import dev.txkit.benchmarks.harness.Tally;

/**
 * txkit {@code Table.getForUpdate} + {@code Table.update} in {@code db.inTransaction} with the
 * defaults (database default isolation, default retry policy).
 *
 * <p>Stateless; thread-safe.
 */
public final class TxkitForUpdate extends Named {
    public TxkitForUpdate() {
        super("txkit-for-update", "full-jitter", Access.LOCKING);
    }

    @Override
    public Result run(Env env, Operation op, Tally tally) throws Exception {
        return env.db.inTransaction(tx -> op.txkit(tx, Access.LOCKING));
    }
}
