package dev.txkit.it.bank;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;

import java.util.function.Supplier;

/**
 * What one submission of an {@link Op} ended with, as its client saw it.
 *
 * @param kind          acknowledged, failed with a definite outcome, outcome unknown, or a non-txkit exception
 * @param code          the failure's code (null when acknowledged or foreign)
 * @param receipt       the receipt returned (null unless acknowledged)
 * @param nanos         how long the call took
 * @param unknownInside txkit met COMMIT_UNKNOWN during the call (and resolved it itself when acknowledged)
 * @param error         the exception (null when acknowledged)
 *
 * <p>Immutable; thread-safe.
 */
record Outcome(Kind kind, ErrorCode code, String receipt, long nanos, boolean unknownInside, Throwable error) {

    /** The four ways a call can end. */
    enum Kind { ACK, FAILED, UNKNOWN, FOREIGN }

    /** Runs {@code call}, timing it and sorting its end into a kind. */
    static Outcome of(Supplier<String> call, CommitUnknownWatch watch) {
        watch.reset();
        long t0 = System.nanoTime();
        try {
            String receipt = call.get();
            return new Outcome(Kind.ACK, null, receipt, System.nanoTime() - t0, watch.seen(), null);
        } catch (TxkitException e) {
            long nanos = System.nanoTime() - t0;
            Kind kind = isUnknown(e) ? Kind.UNKNOWN : Kind.FAILED;
            return new Outcome(kind, e.code(), null, nanos, watch.seen(), e);
        } catch (RuntimeException | Error e) {
            return new Outcome(Kind.FOREIGN, null, null, System.nanoTime() - t0, watch.seen(), e);
        }
    }

    /**
     * COMMIT_UNKNOWN itself, or a failure of the re-run txkit starts after it (the earlier COMMIT_UNKNOWN
     * is attached as suppressed): either way the first run may still have committed.
     */
    private static boolean isUnknown(TxkitException e) {
        if (e.code() == ErrorCode.COMMIT_UNKNOWN) {
            return true;
        }
        for (Throwable s : e.getSuppressed()) {
            if (s instanceof TxkitException t && t.code() == ErrorCode.COMMIT_UNKNOWN) {
                return true;
            }
        }
        return false;
    }
}
