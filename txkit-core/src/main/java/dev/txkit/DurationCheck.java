package dev.txkit;

import java.time.Duration;

/**
 * The one rule for every {@link Duration} txkit takes (timeouts, waits, backoff, budgets,
 * thresholds): not null, not negative, zero only where allowed, and at most {@link TxOptions#MAX_DURATION}. The
 * bound exists because txkit turns durations into {@code System.nanoTime()} deadlines; a value
 * such as {@code ChronoUnit.FOREVER.getDuration()} would overflow that arithmetic half-way through
 * a transaction (issue 15), so it is refused up front with a message naming the value and the rule.
 * Static methods; thread-safe.
 */
final class DurationCheck {
    private DurationCheck() {
    }

    /** {@code value} if it is positive and at most {@link TxOptions#MAX_DURATION}; else INVALID_ARGUMENT naming {@code name}. */
    static Duration positive(String name, Duration value) {
        return check(name, value, false, TxOptions.MAX_DURATION);
    }

    /** {@code value} if it is zero or positive and at most {@link TxOptions#MAX_DURATION}. */
    static Duration notNegative(String name, Duration value) {
        return check(name, value, true, TxOptions.MAX_DURATION);
    }

    /** {@code value} if it is positive (or zero when {@code zeroAllowed}) and at most {@code max}. */
    static Duration check(String name, Duration value, boolean zeroAllowed, Duration max) {
        if (value == null) {
            throw invalid(name + " must not be null");
        }
        if (value.isNegative() || (!zeroAllowed && value.isZero())) {
            throw invalid(name + " must be " + (zeroAllowed ? "zero or positive" : "positive") + " but was "
                    + describe(value));
        }
        if (value.compareTo(max) > 0) {
            throw invalid(name + " must be at most " + describe(max) + " but was " + describe(value)
                    + " (txkit computes deadlines in nanoseconds; longer values would overflow)");
        }
        return value;
    }

    /** A readable form that cannot overflow: milliseconds when they fit in a few days, else ISO-8601. */
    static String describe(Duration d) {
        long seconds = d.getSeconds(); // abs() and toMillis() would overflow for the extremes
        if (seconds > -172_800 && seconds < 172_800) {
            return d.toMillis() + " ms";
        }
        if (d.getNano() == 0 && seconds % 86_400 == 0 && seconds > -86_400_000_000L && seconds < 86_400_000_000L) {
            return seconds / 86_400 + " days";
        }
        return d.toString();
    }

    private static TxkitException invalid(String message) {
        return TxkitException.of(ErrorCode.INVALID_ARGUMENT, message);
    }
}
