package dev.txkit.benchmarks.harness.strategy;

import dev.txkit.benchmarks.harness.Access;
import dev.txkit.benchmarks.harness.Env;
import dev.txkit.benchmarks.harness.Operation;
import dev.txkit.benchmarks.harness.Result;
import dev.txkit.benchmarks.harness.Tally;

/**
 * txkit queue pick: {@code where(…).orderBy(…).lockFirst(RowLock.SKIP_LOCKED)} + {@code Table.update}
 * in {@code db.inTransaction} with the defaults.
 *
 * <p>Stateless; thread-safe.
 */
public final class TxkitSkipLocked extends Named {
    public TxkitSkipLocked() {
        super("txkit-skip-locked", "full-jitter", Access.SKIP_LOCKED);
    }

    @Override
    public Result run(Env env, Operation op, Tally tally) throws Exception {
        return env.db.inTransaction(tx -> op.txkit(tx, Access.SKIP_LOCKED));
    }
}
