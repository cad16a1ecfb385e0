package dev.txkit.benchmarks.harness.strategy;

import dev.txkit.benchmarks.harness.Codes;
import dev.txkit.benchmarks.harness.RawJdbc;
import dev.txkit.benchmarks.harness.Access;
import dev.txkit.benchmarks.harness.Env;
import dev.txkit.benchmarks.harness.Operation;
import dev.txkit.benchmarks.harness.Result;
import dev.txkit.benchmarks.harness.Tally;

/**
 * Hand-written SERIALIZABLE transactions with an immediate retry of serialization failures and
 * deadlocks, up to 100 attempts.
 *
 * <p>Stateless; thread-safe.
 */
public final class SerializableRetry extends Named {
    public SerializableRetry() {
        super("serializable", "none", Access.PLAIN);
    }

    @Override
    public Result run(Env env, Operation op, Tally tally) throws Exception {
        return RawJdbc.retrying(env, true, op, access(), tally, 100, RawJdbc.Backoff.NONE, Codes::isConflict);
    }
}
