package dev.txkit.benchmarks.harness.strategy;

import dev.txkit.Isolation;
import dev.txkit.TxOptions;
import dev.txkit.benchmarks.harness.Access;
import dev.txkit.benchmarks.harness.Env;
import dev.txkit.benchmarks.harness.Operation;
import dev.txkit.benchmarks.harness.Result;
import dev.txkit.benchmarks.harness.Tally;

/**
 * {@code txkit-default} with the contention key the README suggests when one call site touches many rows:
 * {@code TxOptions.withContentionKey} naming the row the operation contends on
 * ({@link Operation#contentionKey()}, the lower account of a transfer), so contention control learns a
 * limit per hot row instead of one for the whole call site. Where an operation names no row (the single
 * wallet of W1) it is {@code txkit-default}.
 *
 * <p>Stateless; thread-safe.
 */
public final class TxkitRowKey extends Named {
    private static final TxOptions SERIALIZABLE = TxOptions.defaults().withIsolation(Isolation.SERIALIZABLE);

    public TxkitRowKey() {
        super("txkit-row-key", "full-jitter", Access.PLAIN);
    }

    @Override
    public Result run(Env env, Operation op, Tally tally) throws Exception {
        Object key = op.contentionKey();
        TxOptions options = key == null ? SERIALIZABLE : SERIALIZABLE.withContentionKey(key);
        return env.db.inTransaction(options, tx -> op.txkit(tx, Access.PLAIN));
    }
}
