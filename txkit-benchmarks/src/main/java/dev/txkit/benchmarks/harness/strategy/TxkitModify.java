package dev.txkit.benchmarks.harness.strategy;

import dev.txkit.benchmarks.harness.Access;
import dev.txkit.benchmarks.harness.Env;
import dev.txkit.benchmarks.harness.Operation;
import dev.txkit.benchmarks.harness.Result;
import dev.txkit.benchmarks.harness.Tally;

/**
 * txkit {@code Table.modify(id, change)} (hot-key combining): concurrent changes of one row in this JVM
 * share one locking read, one write and one commit. Attempts are txkit's transactions (one per batch),
 * so attempts per operation can fall below 1.
 *
 * <p>Stateless; thread-safe.
 */
public final class TxkitModify extends Named {
    public TxkitModify() {
        super("txkit-modify", "full-jitter", Access.MODIFY);
    }

    @Override
    public Result run(Env env, Operation op, Tally tally) {
        return op.modify(env.db);
    }
}
