package dev.txkit.benchmarks.harness.strategy;

import dev.txkit.benchmarks.harness.Codes;
import dev.txkit.benchmarks.harness.RawJdbc;
import dev.txkit.benchmarks.harness.Access;
import dev.txkit.benchmarks.harness.Env;
import dev.txkit.benchmarks.harness.Operation;
import dev.txkit.benchmarks.harness.Result;
import dev.txkit.benchmarks.harness.Tally;

/**
 * The retry loop Prisma's documentation shows for {@code P2034} (write conflict or deadlock): a
 * SERIALIZABLE transaction, retried at once, {@code MAX_RETRIES = 5} attempts in all, then the error.
 *
 * <p>Stateless; thread-safe.
 */
public final class PrismaLoop extends Named {
    /** As in Prisma's docs. */
    static final int MAX_RETRIES = 5;

    public PrismaLoop() {
        super("prisma", "none", Access.PLAIN);
    }

    @Override
    public Result run(Env env, Operation op, Tally tally) throws Exception {
        return RawJdbc.retrying(env, true, op, access(), tally, MAX_RETRIES, RawJdbc.Backoff.NONE, Codes::isConflict);
    }
}
