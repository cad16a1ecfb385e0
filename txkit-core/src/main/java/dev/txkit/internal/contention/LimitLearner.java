package dev.txkit.internal.contention;

/**
 * The decisions behind a hot key's limit: which attempts count as evidence about the current limit, when
 * there is enough of it, where the limit goes, and when the key turns cold again. Not thread-safe: used
 * under its {@link KeyLimit}'s lock.
 *
 * <p>The limit is the concurrency that commits the most, estimated from the collision rate seen at the
 * current limit. If each of the other attempts in flight collides with a given one independently with
 * probability q, then at k in flight a share p = 1 − (1 − q)<sup>k−1</sup> collides and k · (1 − q)<sup>k−1</sup>
 * commit per attempt time, which is greatest at k ≈ 1/q. So the limit k holds while p stays between
 * {@link #raiseBelow} and {@link #lowerAbove}, falls to about 1/q̂ when p is above (a single hot row:
 * q near ½, k = 1), and rises towards it when p is below (many rows under one key, as for transfers
 * between accounts: q small, k several). Both bounds lean {@link #lean} towards fewer, since a wasted
 * attempt costs the database work the model leaves out. Only attempts admitted since the limit last
 * changed count towards a decision, over a window of {@link #window} attempts (a clear excess decides
 * earlier). At 1 nothing collides by this model, so the limit probes 2 after a window of clean commits;
 * each probe that fails doubles that window (up to {@link #MAX_BACKOFF} doublings), a rise resets it. A window
 * at 1 that still saw collisions (with other processes, e.g. other Galera nodes) doubles it too, without probing.
 *
 * <p>The model's best k lets about 1 − 1/e of the attempts collide, and at large k its two bounds all but
 * meet. Measured, a collided attempt costs far more than the model's nothing (it held locks, made round
 * trips, was rolled back): W2's transfers under one call site at 64 clients committed most at 4 in flight
 * on MariaDB (7 % colliding; 64 in flight, 45 % colliding, committed 0.6 × as much) and at 16–64 on
 * PostgreSQL. So both bounds are also capped: above {@link #MOST_COLLIDING} colliding the limit falls,
 * below {@link #FEW_COLLIDING} it may rise.
 */
final class LimitLearner {
    /**
     * How much both bounds are moved down: a tie between k and k + 1 goes to k, since a wasted attempt
     * costs the database work the model leaves out. At 2 it leans further: there a collision is mostly a
     * wait for the other attempt's row lock (a single hot row), which the model counts as free.
     */
    static final double LEAN = 0.1;
    /** Above this share colliding the limit falls, whatever the model says (see the class comment). */
    static final double MOST_COLLIDING = 0.25;
    /** Only below this share colliding may the limit rise. */
    static final double FEW_COLLIDING = 0.15;
    static final double LEAN_AT_TWO = 0.2;
    /** Attempts at limit 1 before probing 2 (times 2^backoff). */
    static final int WINDOW = 8;
    /** Attempts judged at a limit of 2 or more, at least. */
    static final int JUDGED = 16;
    static final int MAX_BACKOFF = 6;

    /** A key with this many clean commits in a row, none of which found anybody queued, turns cold. */
    static final int COOL_AFTER = 200;
    private static final double RATE_WEIGHT = 0.05;

    private int limit = KeyLimit.MAX;
    /** nanoTime the limit last changed; attempts admitted before it ran beside another limit. */
    private long levelSince = Long.MIN_VALUE;
    private int levelAttempts;
    private int levelCollisions;
    private boolean levelDemand;
    /** Whether the last change was a probe upwards from 1 that has not been judged yet. */
    private boolean probing;
    private int backoff;
    /**
     * The key's attempts at 1 leave at their first write (see {@code Permit#single}), so one
     * at a time loses little to the wait between two attempts: a window at 2 that collides at all goes back to 1.
     */
    boolean relaying;
    /**
     * Share of those attempts that collided (moving average). Where one attempt's rows are not the next
     * one's first (transfers between accounts under one call site), letting the next in at the first write
     * makes them deadlock; past {@link #LEAVING_MAX} they stop leaving early until the key turns hot again.
     */
    private double leftAtWriteCollisions;
    static final double LEAVING_MAX = 0.1;
    private int clean;
    private boolean queuedDuringRun;
    private double conflictRate;
    private long attempts;
    private long conflicts;

    /** Whether the limit stays as {@link #fix} set it: no decisions, never cold (see {@code ContentionControl#lockingRow}). */
    private boolean fixed;

    /** Holds the limit at {@code places} for good. */
    void fix(int places) {
        fixed = true;
        set(places);
    }

    boolean fixed() {
        return fixed;
    }

    /** The key turned hot at {@code first}; returns it. */
    int start(int first) {
        relaying = false;
        leftAtWriteCollisions = 0;
        clean = 0;
        queuedDuringRun = false;
        backoff = 0;
        probing = false;
        return set(first);
    }

    /**
     * An attempt of the hot key admitted at {@code admittedAt} ended with {@code outcome}; {@code demand}: more
     * wanted to run than the limit let; {@code queued}: somebody is waiting. Returns {@code false} when the
     * key should turn cold: a long run of clean commits that nobody had to wait for.
     */
    boolean learn(Outcome outcome, boolean demand, boolean queued, long admittedAt) {
        attempts++;
        boolean collided = outcome == Outcome.COLLIDED;
        if (collided) {
            conflicts++;
            conflictRate += RATE_WEIGHT * (1 - conflictRate);
            clean = 0;
            queuedDuringRun = false;
        } else {
            conflictRate -= RATE_WEIGHT * conflictRate;
        }
        if (!collided && outcome != Outcome.COMMITTED) {
            return true; // the callback's own failure, a timeout: says nothing about collisions
        }
        observe(collided, demand, admittedAt);
        if (collided || fixed) {
            return true;
        }
        queuedDuringRun |= queued;
        if (++clean >= COOL_AFTER) {
            boolean cool = !queuedDuringRun;
            clean = 0;
            queuedDuringRun = false;
            return !cool;
        }
        return true;
    }

    int limit() {
        return limit;
    }

    /** An attempt that left at its first write ended, colliding or not. */
    void leftAtWrite(boolean collided) {
        relaying = true;
        leftAtWriteCollisions += RATE_WEIGHT * ((collided ? 1 : 0) - leftAtWriteCollisions);
    }

    boolean leavingAtWriteWorks() {
        return leftAtWriteCollisions < LEAVING_MAX;
    }

    double conflictRate() {
        return conflictRate;
    }

    long attempts() {
        return attempts;
    }

    long conflicts() {
        return conflicts;
    }

    /**
     * One attempt admitted at {@code admittedAt} ended, colliding or committing; {@code demand}: more
     * wanted to run than the limit let. Returns the limit, changed if the evidence says so.
     */
    int observe(boolean collided, boolean demand, long admittedAt) {
        if (fixed || admittedAt - levelSince < 0) {
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
            if (a >= WINDOW << backoff && x > 0) {
                // one at a time here and still colliding: with other processes, which more here only feeds
                backoff = Math.min(MAX_BACKOFF, backoff + 1);
                set(KeyLimit.MIN);
            } else if (a >= WINDOW << backoff && levelDemand) {
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
        boolean leaving = relaying && leavingAtWriteWorks();
        if (p > lower || (leaving && limit == 2 && x > 0)) {
            if (probing) {
                backoff = Math.min(MAX_BACKOFF, backoff + 1);
            }
            // at most halved at a time: a small sample can look much worse than the rows are
            set(Math.max(Math.max(KeyLimit.MIN, limit / 2), Math.min(limit - 1, best(p, limit))));
        } else if (p < raiseBelow(limit) && levelDemand) {
            if (!leaving) {
                backoff = 0; // where attempts at 1 leave at their write, 1 is what more must beat again and again
            }
            set(Math.min(KeyLimit.MAX, Math.min(2 * limit, Math.max(limit + 1, best(p, limit)))));
        } else {
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
        return Math.max(JUDGED, 2 * k);
    }

    /** Above this share of collisions at {@code k} in flight, fewer would commit more (k ≥ 2). */
    static double lowerAbove(int k) {
        return Math.min(MOST_COLLIDING, 1 - Math.pow((k - 1) / (double) k, k - 1) - lean(k));
    }

    /** Below this share of collisions at {@code k} in flight, more would commit more (k ≥ 2). */
    static double raiseBelow(int k) {
        return Math.min(FEW_COLLIDING, 1 - Math.pow(k / (k + 1.0), k - 1) - lean(k));
    }

    static double lean(int k) {
        return k == 2 ? LEAN_AT_TWO : LEAN;
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
