package dev.txkit.benchmarks.harness.strategy;

import dev.txkit.benchmarks.harness.RawJdbc;
import dev.txkit.benchmarks.harness.Access;
import dev.txkit.benchmarks.harness.Env;
import dev.txkit.benchmarks.harness.Operation;
import dev.txkit.benchmarks.harness.Result;
import dev.txkit.benchmarks.harness.Tally;

/**
 * Hand-written pessimistic locking: {@code SELECT … FOR UPDATE}, write, commit; no retry (a deadlock
 * in the unordered variant is a give-up).
 *
 * <p>Stateless; thread-safe.
 */
public final class ForUpdate extends Named {
    public ForUpdate() {
        super("for-update", "-", Access.LOCKING);
    }

    @Override
    public Result run(Env env, Operation op, Tally tally) throws Exception {
        return RawJdbc.once(env, false, op, access(), tally);
    }
}
