package dev.txkit.benchmarks.harness.strategy;

import dev.txkit.Isolation;
import dev.txkit.TxOptions;
import dev.txkit.benchmarks.harness.Access;
import dev.txkit.benchmarks.harness.Env;
import dev.txkit.benchmarks.harness.Operation;
import dev.txkit.benchmarks.harness.Result;
import dev.txkit.benchmarks.harness.Tally;

/**
 * txkit's default path: {@code db.inTransaction} at SERIALIZABLE with the default {@code RetryPolicy}
 * (10 attempts, full jitter from 10 ms capped at 1 s, a 10 s budget), plain {@code tx.sql} reads and writes.
 *
 * <p>Stateless; thread-safe.
 */
public final class TxkitDefaults extends Named {
    private static final TxOptions SERIALIZABLE = TxOptions.defaults().withIsolation(Isolation.SERIALIZABLE);

    public TxkitDefaults() {
        super("txkit-default", "full-jitter", Access.PLAIN);
    }

    @Override
    public Result run(Env env, Operation op, Tally tally) throws Exception {
        return env.db.inTransaction(SERIALIZABLE, tx -> op.txkit(tx, Access.PLAIN));
    }
}
