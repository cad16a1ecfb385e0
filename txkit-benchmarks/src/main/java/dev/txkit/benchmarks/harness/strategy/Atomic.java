package dev.txkit.benchmarks.harness.strategy;

import dev.txkit.benchmarks.harness.RawJdbc;
import dev.txkit.benchmarks.harness.Access;
import dev.txkit.benchmarks.harness.Env;
import dev.txkit.benchmarks.harness.Operation;
import dev.txkit.benchmarks.harness.Result;
import dev.txkit.benchmarks.harness.Tally;

/**
 * ATOMIC: guarded single statements, no read ({@code balance = balance - ? where balance >= ?}): the
 * physical limit of a hot row (the lock is held for one statement plus the commit).
 *
 * <p>Stateless; thread-safe.
 */
public final class Atomic extends Named {
    public Atomic() {
        super("atomic", "-", Access.ATOMIC);
    }

    @Override
    public Result run(Env env, Operation op, Tally tally) throws Exception {
        return RawJdbc.once(env, false, op, access(), tally);
    }
}
