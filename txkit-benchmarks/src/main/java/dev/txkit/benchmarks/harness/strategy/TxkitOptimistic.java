package dev.txkit.benchmarks.harness.strategy;

import dev.txkit.retry.RetryPolicy;
import dev.txkit.benchmarks.harness.Access;
import dev.txkit.benchmarks.harness.Env;
import dev.txkit.benchmarks.harness.Operation;
import dev.txkit.benchmarks.harness.Result;
import dev.txkit.benchmarks.harness.Tally;

/**
 * txkit {@code db.optimistic(RetryPolicy.defaults(), …)}: {@code Table.get} + version-checked
 * {@code Table.update}; after a conflict the retried reads lock ({@code FOR UPDATE}).
 *
 * <p>Stateless; thread-safe.
 */
public final class TxkitOptimistic extends Named {
    public TxkitOptimistic() {
        super("txkit-optimistic", "full-jitter", Access.VERSIONED);
    }

    @Override
    public Result run(Env env, Operation op, Tally tally) throws Exception {
        return env.db.optimistic(RetryPolicy.defaults(), tx -> op.txkit(tx, Access.VERSIONED));
    }
}
