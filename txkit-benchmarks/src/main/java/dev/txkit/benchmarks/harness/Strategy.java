package dev.txkit.benchmarks.harness;

/**
 * A way to run a workload's operation: which {@link Access} it uses, and the transaction, isolation
 * and retry handling around it (hand-written JDBC, txkit, Spring, JDBI, …). Each strategy is one small
 * class in {@code dev.txkit.benchmarks.harness.strategy}, listed in {@link Strategies}.
 *
 * <p>Implementations are stateless apart from configuration and are called from many client threads
 * at once; they must be thread-safe.
 */
public interface Strategy {

    /** The name in the CSV, the table and the plots ({@code for-update}, {@code txkit-default}, …). */
    String name();

    /** The backoff between attempts as the CSV reports it: {@code none}, {@code exp-random}, {@code full-jitter}, {@code -}. */
    String backoff();

    /** The access mode this strategy runs operations with; a workload that lacks it skips the strategy. */
    Access access();

    /** Whether this strategy is meant for {@code db} (a strategy tied to one database's isolation is skipped elsewhere). */
    default boolean runsOn(DbKind db) {
        return true;
    }

    /**
     * Whether this strategy is a control that is expected to break the invariant (NAIVE); its broken
     * invariant is the anomaly being shown, not a harness failure.
     */
    default boolean expectedBroken() {
        return false;
    }

    /**
     * Runs {@code op} to completion: attempts (reported to {@code tally}) until one commits. Returns the
     * committed attempt's result; throws when it gives up (retries exhausted or a failure it does not
     * retry), having rolled back.
     */
    Result run(Env env, Operation op, Tally tally) throws Exception;
}
