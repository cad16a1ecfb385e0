package dev.txkit.internal.contention;

/**
 * The decisions behind a hot key's limit (see {@link KeyLimit} for the model): which attempts count as
 * evidence about the current limit, when there is enough of it, and where the limit goes. Not
 * thread-safe: used under its {@link KeyLimit}'s lock.
 */
final class LimitLearner {
    /** How much both bounds are moved down: a tie between k and k + 1 goes to k. */
    static final double LEAN = 0.1;
    /** Attempts at one limit before a decision (at limit 1: times 2^backoff). */
    static final int WINDOW = 8;
    static final int MAX_BACKOFF = 5;

    private int limit = KeyLimit.MAX;
    /** nanoTime the limit last changed; attempts admitted before it ran beside another limit. */
    private long levelSince = Long.MIN_VALUE;
    private int levelAttempts;
    private int levelCollisions;
    private boolean levelDemand;
    /** Whether the last change was a probe upwards from 1 that has not been judged yet. */
    private boolean probing;
    private int backoff;

    /** The key turned hot at {@code first}; returns it. */
    int start(int first) {
        backoff = 0;
        probing = false;
        return set(first);
    }

    /**
     * One attempt admitted at {@code admittedAt} ended, colliding or committing; {@code demand}: more
     * wanted to run than the limit let. Returns the limit, changed if the evidence says so.
     */
    int observe(boolean collided, boolean demand, long admittedAt) {
        if (admittedAt - levelSince < 0) {
            return limit; // it started at an earlier limit: says nothing about this one
        }
        levelAttempts++;
        levelCollisions += collided ? 1 : 0;
        levelDemand |= demand;
        return decide();
    }

    private int decide() {
        int a = levelAttempts;
        int x = levelCollisions;
        if (limit == KeyLimit.MIN) {
            if (a >= WINDOW << backoff && levelDemand) {
                set(KeyLimit.MIN + 1); // nothing to learn at 1: probe 2
                probing = true;
            }
            return limit;
        }
        double lower = lowerAbove(limit);
        boolean clearlyAbove = x >= 2 && x > lower * a + 2 * Math.sqrt(a * lower * (1 - lower));
        if (!clearlyAbove && a < window(limit)) {
            return limit;
        }
        double p = (double) x / a;
        if (p > lower) {
            if (probing) {
                backoff = Math.min(MAX_BACKOFF, backoff + 1);
            }
            // at most halved at a time: a small sample can look much worse than the rows are
            set(Math.max(Math.max(KeyLimit.MIN, limit / 2), Math.min(limit - 1, best(p, limit))));
        } else if (p < raiseBelow(limit) && levelDemand) {
            backoff = 0;
            set(Math.min(KeyLimit.MAX, Math.min(2 * limit, Math.max(limit + 1, best(p, limit)))));
        } else {
            backoff = 0;
            set(limit); // it holds: judge a new window at the same limit
        }
        probing = false;
        return limit;
    }

    private int set(int next) {
        limit = next;
        levelSince = System.nanoTime();
        levelAttempts = 0;
        levelCollisions = 0;
        levelDemand = false;
        return limit;
    }

    /** Attempts judged at limit {@code k} (k ≥ 2). */
    static int window(int k) {
        return Math.max(WINDOW, 2 * k);
    }

    /** Above this share of collisions at {@code k} in flight, fewer would commit more (k ≥ 2). */
    static double lowerAbove(int k) {
        return 1 - Math.pow((k - 1) / (double) k, k - 1) - LEAN;
    }

    /** Below this share of collisions at {@code k} in flight, more would commit more (k ≥ 2). */
    static double raiseBelow(int k) {
        return 1 - Math.pow(k / (k + 1.0), k - 1) - LEAN;
    }

    /**
     * The concurrency that commits most if a share {@code p} of the attempts collided at {@code k} in
     * flight: 1/q with q = 1 − (1 − p)^(1/(k − 1)), leaned towards fewer; at least 1.
     */
    static int best(double p, int k) {
        double q = 1 - Math.pow(1 - p, 1.0 / (k - 1));
        if (q <= 0) {
            return KeyLimit.MAX;
        }
        return (int) Math.max(KeyLimit.MIN, Math.min(KeyLimit.MAX, Math.floor((1 - LEAN) / q)));
    }
}
