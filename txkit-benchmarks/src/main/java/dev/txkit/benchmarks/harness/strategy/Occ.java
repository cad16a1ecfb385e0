package dev.txkit.benchmarks.harness.strategy;

import dev.txkit.benchmarks.harness.Codes;
import dev.txkit.benchmarks.harness.RawJdbc;
import dev.txkit.benchmarks.harness.Access;
import dev.txkit.benchmarks.harness.Env;
import dev.txkit.benchmarks.harness.Operation;
import dev.txkit.benchmarks.harness.Result;
import dev.txkit.benchmarks.harness.Tally;

/**
 * Hand-written optimistic concurrency: read with the version, version-checked write, and on 0 rows
 * (or a write conflict) an immediate retry, up to 100 attempts.
 *
 * <p>Stateless; thread-safe.
 */
public final class Occ extends Named {
    public Occ() {
        super("occ", "none", Access.VERSIONED);
    }

    @Override
    public Result run(Env env, Operation op, Tally tally) throws Exception {
        return RawJdbc.retrying(env, false, op, access(), tally, 100, RawJdbc.Backoff.NONE, Codes::isConflict);
    }
}
