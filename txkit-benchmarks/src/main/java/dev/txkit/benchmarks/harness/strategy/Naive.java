package dev.txkit.benchmarks.harness.strategy;

import dev.txkit.benchmarks.harness.RawJdbc;
import dev.txkit.benchmarks.harness.Access;
import dev.txkit.benchmarks.harness.Env;
import dev.txkit.benchmarks.harness.Operation;
import dev.txkit.benchmarks.harness.Result;
import dev.txkit.benchmarks.harness.Tally;

/**
 * NAIVE: plain read, blind write, database default isolation, no retry. The control: concurrent
 * clients lose updates (or double-book), so its invariant is expected to fail.
 *
 * <p>Stateless; thread-safe.
 */
public final class Naive extends Named {
    public Naive() {
        super("naive", "-", Access.PLAIN);
    }

    @Override
    public boolean expectedBroken() {
        return true;
    }

    @Override
    public Result run(Env env, Operation op, Tally tally) throws Exception {
        return RawJdbc.once(env, false, op, access(), tally);
    }
}
