package dev.txkit.benchmarks.harness;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * Hand-written JDBC transactions as an application would write them: one attempt (auto-commit off,
 * optional isolation, the operation, commit; rollback on any failure), and a retry loop over it.
 *
 * <p>Stateless; thread-safe.
 */
public final class RawJdbc {
    private RawJdbc() {
    }

    /** Backoff of the hand-written retry loops. */
    public enum Backoff {
        NONE("none"), FULL_JITTER("full-jitter");

        public final String label;

        Backoff(String label) {
            this.label = label;
        }
    }

    /**
     * One attempt: auto-commit off, {@code SET TRANSACTION ISOLATION LEVEL SERIALIZABLE} first when
     * {@code serializable} (per transaction, so nothing needs restoring: no extra round trips), the
     * operation, commit. A {@link Result#CONFLICT} is rolled back and returned.
     */
    public static Result once(Env env, boolean serializable, Operation op, Access access, Tally tally) throws SQLException {
        tally.attempt();
        try (Connection c = env.pool.getConnection()) {
            boolean h2 = env.kind == DbKind.H2;
            c.setAutoCommit(false);
            try {
                if (serializable) {
                    if (h2) {
                        c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
                    } else {
                        try (Statement st = c.createStatement()) {
                            st.execute("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE");
                        }
                    }
                }
                Result r = op.jdbc(c, access);
                if (r == Result.CONFLICT) {
                    c.rollback();
                    tally.abort(Codes.VERSION);
                } else {
                    c.commit();
                }
                return r;
            } catch (SQLException | RuntimeException e) {
                tally.abort(Codes.of(e));
                try {
                    c.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
                if (serializable && h2) {
                    c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                }
            }
        }
    }

    /**
     * Runs attempts until one commits without a version conflict, retrying failures {@code retryable}
     * accepts, at most {@code maxAttempts} in all; then gives up with {@link GaveUp} or the last failure.
     */
    public static Result retrying(Env env, boolean serializable, Operation op, Access access, Tally tally,
                                  int maxAttempts, Backoff backoff, Predicate<SQLException> retryable)
            throws SQLException, InterruptedException, GaveUp {
        SQLException last = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            if (attempt > 1 && backoff == Backoff.FULL_JITTER) {
                // Full jitter (AWS architecture blog): uniform in [0, min(cap, base * 2^n)], base 1 ms, cap 100 ms.
                long capMicros = Math.min(100_000L, 1_000L << Math.min(attempt - 2, 20));
                long micros = ThreadLocalRandom.current().nextLong(capMicros + 1);
                Thread.sleep(micros / 1000, (int) (micros % 1000) * 1000);
            }
            try {
                Result r = once(env, serializable, op, access, tally);
                if (r != Result.CONFLICT) {
                    return r;
                }
            } catch (SQLException e) {
                if (!retryable.test(e)) {
                    throw e;
                }
                last = e;
            }
        }
        throw new GaveUp(maxAttempts, last);
    }

    /** Retries exhausted. */
    public static final class GaveUp extends Exception {
        GaveUp(int attempts, SQLException last) {
            super("gave up after " + attempts + " attempts", last);
        }
    }
}
