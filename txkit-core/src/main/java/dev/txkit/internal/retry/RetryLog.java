package dev.txkit.internal.retry;

import dev.txkit.ErrorCode;

import java.time.Duration;

/**
 * The {@code dev.txkit.retry} logger, shared by every retry loop: one DEBUG line per retry (code,
 * attempt, delay) and one per give-up. Never SQL or values; nothing is formatted when DEBUG is off.
 * Stateless; thread-safe.
 */
public final class RetryLog {
    private static final System.Logger LOG = System.getLogger("dev.txkit.retry");

    private RetryLog() {
    }

    public static void retrying(ErrorCode code, int attempt, int maxAttempts, Duration delay) {
        if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
            LOG.log(System.Logger.Level.DEBUG, "txkit: retrying after " + code + " (attempt " + attempt + " of "
                    + maxAttempts + " failed; attempt " + (attempt + 1) + " starts after " + delay.toMillis() + " ms)");
        }
    }

    public static void gaveUp(ErrorCode code, String why) {
        if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
            LOG.log(System.Logger.Level.DEBUG, "txkit: giving up after " + code + " (" + why + ")");
        }
    }
}
