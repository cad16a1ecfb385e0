package dev.txkit.benchmarks.harness.strategy;

import dev.txkit.benchmarks.harness.RawJdbc;
import dev.txkit.benchmarks.harness.Access;
import dev.txkit.benchmarks.harness.Env;
import dev.txkit.benchmarks.harness.Operation;
import dev.txkit.benchmarks.harness.Result;
import dev.txkit.benchmarks.harness.Tally;

/**
 * Hand-written queue pick: {@code SELECT … FOR UPDATE SKIP LOCKED}, write, commit; no retry.
 *
 * <p>Stateless; thread-safe.
 */
public final class SkipLocked extends Named {
    public SkipLocked() {
        super("skip-locked", "-", Access.SKIP_LOCKED);
    }

    @Override
    public Result run(Env env, Operation op, Tally tally) throws Exception {
        return RawJdbc.once(env, false, op, access(), tally);
    }
}
