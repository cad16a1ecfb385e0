package dev.txkit.it.bank;

import dev.txkit.ErrorCode;
import dev.txkit.spi.TxAttempt;
import dev.txkit.spi.TxListener;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Notes, per client thread, whether a call met COMMIT_UNKNOWN on the way (txkit's listener events
 * arrive on the thread of the call), so that an acknowledged idempotent transfer can be counted as
 * "COMMIT_UNKNOWN resolved inside txkit"; also counts txkit's {@code problem} reports (cleanup after a
 * lost connection that could not be done), which the figures show as warnings.
 *
 * <p>Thread-safe: the flag is per thread, the count atomic.
 */
final class CommitUnknownWatch implements TxListener {
    private final ThreadLocal<Boolean> seen = ThreadLocal.withInitial(() -> false);
    private final AtomicInteger problems = new AtomicInteger();

    @Override
    public void attemptFailed(TxAttempt attempt, ErrorCode code, Throwable failure, Duration duration) {
        if (code == ErrorCode.COMMIT_UNKNOWN) {
            seen.set(true);
        }
    }

    /** txkit could not clean up after a failure it reported (e.g. restoring a killed connection's state). */
    @Override
    public void problem(String description, Throwable failure) {
        problems.incrementAndGet();
    }

    /** How many {@link #problem} reports arrived (from all threads). */
    int problems() {
        return problems.get();
    }

    void reset() {
        seen.set(false);
    }

    boolean seen() {
        return seen.get();
    }
}
