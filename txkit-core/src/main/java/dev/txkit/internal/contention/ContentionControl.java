package dev.txkit.internal.contention;

import dev.txkit.ErrorCode;
import dev.txkit.KeyContention;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.internal.tx.Admission;
import dev.txkit.spi.TxAttempt;
import dev.txkit.spi.TxListener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Adaptive admission control of one Database (issue 14): per contention key, at most as many attempts
 * run at once in this process as the key's rows serve without colliding (see {@link KeyLimit}).
 * Waiting for admission happens before the attempt (no connection, no lock, not an attempt); it replaces
 * the wait on the row lock inside the transaction, so it counts against the transaction's {@code timeout}
 * (the attempt gets the rest) and, over all attempts, against the retry budget.
 *
 * <p>The cold path — a key that has never collided — is one lookup in a map that holds only keys that
 * did collide: no lock, no allocation. Thread-safe.
 */
public final class ContentionControl {
    /** Beyond this many records, cold idle ones are dropped (explicit keys such as "wallet:" + id can be many). */
    private static final int MAX_KEYS = 4096;

    private static final Duration MIN_LEFT = Duration.ofMillis(1);
    /** Collisions after which an attempt of a hot key runs alone, lest one unlucky transaction run out of attempts. */
    static final int SOLO_AFTER = 6;

    private final ConcurrentHashMap<Object, KeyLimit> keys = new ConcurrentHashMap<>();
    private final Consumer<Consumer<TxListener>> emit;
    private volatile boolean closed;
    /** The lanes of {@code Table.modify}'s combined batches, closed with this. */
    public final Combiner combiner = new Combiner();

    /** {@code emit} tells the Database's listeners (and isolates their failures). */
    public ContentionControl(Consumer<Consumer<TxListener>> emit) {
        this.emit = emit;
    }

    /**
     * Admits an attempt of {@code key}, waiting if the key is hot and its limit is reached. Returns
     * {@code null} for a key that never collided — then report a failure with {@link #failed} — else the
     * attempt's permit, which must be ended exactly once.
     */
    public Permit admit(Object key, TxOptions options, TxAttempt attempt) {
        KeyLimit k = keys.get(key);
        if (k == null) {
            return null;
        }
        boolean solo = attempt.number() > SOLO_AFTER;
        Slot admitted = k.tryAdmit(solo);
        if (admitted != null) {
            return new Permit(this, k, options, System.nanoTime(), admitted, k.hot, solo);
        }
        long start = System.nanoTime();
        Waiter w = k.enqueue(attempt.number() > 1, solo);
        long waited = await(k, w, options.timeout().toNanos(), start);
        Duration took = Duration.ofNanos(waited);
        emit.accept(l -> l.admissionWaited(key, took));
        // The wait stands in for the wait on the row lock inside the transaction, so it is part of the
        // transaction's wall-clock timeout: the attempt gets what is left (at least 1 ms).
        Duration left = options.timeout().minus(took);
        TxOptions rest = options.withTimeout(left.compareTo(MIN_LEFT) < 0 ? MIN_LEFT : left);
        return new Permit(this, k, rest, System.nanoTime(), w.slot, k.hot, solo);
    }

    /** Parks until admitted, in steps no longer than the key's stall time, writing off a stalled attempt after each. */
    private long await(KeyLimit k, Waiter w, long limitNanos, long start) {
        long deadline = start + limitNanos;
        if (closed) {
            k.withdraw(w);
            throw notAdmitted(k, 0, limitNanos, false);
        }
        while (!w.admitted()) {
            long left = deadline - System.nanoTime();
            boolean interrupted = Thread.currentThread().isInterrupted();
            if (left <= 0 || interrupted || closed) {
                if (k.withdraw(w)) {
                    throw notAdmitted(k, System.nanoTime() - start, limitNanos, interrupted);
                }
                break; // admitted just now: its place is counted, so it runs
            }
            LockSupport.parkNanos(this, Math.min(left, k.places.stallNanos()));
            if (!w.admitted()) {
                k.writeOffStalled(System.nanoTime());
            }
        }
        return System.nanoTime() - start;
    }

    private TxkitException notAdmitted(KeyLimit k, long waitedNanos, long limitNanos, boolean interrupted) {
        String why = closed ? "the Database was closed" : interrupted ? "the thread was interrupted"
                : "the transaction's timeout ran out";
        ErrorCode code = closed ? ErrorCode.CLOSED : ErrorCode.ADMISSION_TIMEOUT;
        KeyContention now = k.snapshot(); // the numbers, never the key's text (it may carry an id)
        String state = "admits " + now.limit() + " at once, " + now.inFlight() + " running, " + now.queued() + " queued";
        return TxkitException.of(code, "not admitted after waiting " + waitedNanos / 1_000_000 + " ms of the "
                + limitNanos / 1_000_000 + " ms timeout (" + why + "): transactions of contention key "
                + describe(k.key) + " collide, so txkit " + state + "; nothing ran. The rows they touch are too"
                + " hot for this load: retry later, raise the timeout, or combine the updates with Table.modify");
    }

    /** Class keys (call sites) are shown; explicit keys may carry ids, so only their type is. */
    static String describe(Object key) {
        return key instanceof RowKey ? "a row of " + describe(((RowKey) key).site())
                : key instanceof Observed ? describe(((Observed) key).site())
                : key instanceof Class ? ((Class<?>) key).getName()
                : "(an explicit " + key.getClass().getSimpleName() + " key)";
    }

    /**
     * A key whose attempts are watched but never held back as a whole: for work that has a better answer to
     * collisions than admission (db.optimistic switches to locking reads). {@link #contendedWithin} asks it;
     * while it is contended its attempts name the row of a first statement that is a locking read, and one
     * row admits {@link #LOCKING_PLACES} of them at once ({@link #lockingRow}).
     */
    public record Observed(Object site) {
    }

    /**
     * The contention key of a new transaction: the options' key, else the wrapped user callback's class
     * ({@code site}), else the callback's class; {@code null} (no admission) for a REQUIRES_NEW inside
     * another transaction — its thread holds that one's connection and locks, and maybe the very place it
     * would wait for.
     */
    public static Object keyOf(TxOptions options, Object site, Object callback, boolean insideAnother) {
        return insideAnother ? null : options.contentionKey() != null ? options.contentionKey()
                : site != null ? site : callback.getClass();
    }

    /** One attempt, run with the options admission leaves it (its timeout less the time it waited). */
    @FunctionalInterface
    public interface Attempt<R, X extends Exception> {
        /**
         * {@code permit} is null for a key that never collided; else it lets the transaction give up its
         * place early (see {@link Permit#leave()} and {@link Admission}).
         */
        R run(TxOptions options, Permit permit) throws X;
    }

    /**
     * Runs one attempt of {@code key} behind admission and learns from its outcome; {@code key} {@code null}
     * (a transaction inside another, which must never wait) runs it as is. For a key that never collided
     * this is one map lookup.
     */
    public <R, X extends Exception> R run(Object key, TxOptions options, TxAttempt attempt, Attempt<R, X> body)
            throws X {
        Permit permit = key == null ? null : admit(key, options, attempt);
        TxOptions unadmitted = options;
        while (permit != null) {
            R result;
            try {
                result = body.run(permit.options(), permit);
            } catch (Readmit r) {
                if (r != permit.pendingReadmit()) {
                    throw r; // not this attempt's (cannot happen: each attempt's own loop catches its own)
                }
                unadmitted = rest(permit); // its row is hot and full: wait for the row's turn, then start again
                permit = admit(r.row, unadmitted, attempt);
                continue;
            } catch (Throwable t) {
                permit.failed(t);
                throw t;
            }
            permit.committed();
            return result;
        }
        try {
            return body.run(unadmitted, null);
        } catch (TxkitException e) {
            if (key != null) {
                failed(key, e);
            }
            throw e;
        }
    }

    /** The options of an attempt that starts again behind its row: the timeout less the time since it was admitted. */
    private static TxOptions rest(Permit permit) {
        TxOptions options = permit.options();
        Duration left = options.timeout().minusNanos(System.nanoTime() - permit.admittedAt());
        return options.withTimeout(left.compareTo(MIN_LEFT) < 0 ? MIN_LEFT : left);
    }

    /**
     * Locking reads of one row that the attempts of one call site send at once while they read with locks
     * (db.optimistic's after a collision; on MariaDB, a contended call site's, see {@code TxBegin}); the others
     * wait in this process, holding nothing. The database's own queue serves one row's
     * lock holders one at a time either way, and on PostgreSQL a long queue of waiters costs: measured on one
     * hot row (W1), hand-written {@code FOR UPDATE} committed 2 683–3 034 TPS at 2–8 clients and 1 532 at 64
     * (MariaDB: about 3 000 throughout).
     */
    static final int LOCKING_PLACES = 4;

    /**
     * The record of a row that a locking first read names ({@link Permit#firstStatement}): made on
     * first use, admitting {@link #LOCKING_PLACES} at once for as long as it exists. Locking reads do not
     * collide, so no collision could make it hot; a key that locks has its answer to collisions and needs only
     * this bound on its queue.
     */
    KeyLimit lockingRow(RowKey row) {
        KeyLimit k = keys.get(row);
        if (k != null) {
            return k;
        }
        if (keys.size() >= MAX_KEYS) {
            keys.values().removeIf(KeyLimit::idle);
        }
        return keys.computeIfAbsent(row, r -> KeyLimit.fixed(r, LOCKING_PLACES));
    }

    /** The record of {@code key}, if it collided. */
    KeyLimit record(Object key) {
        return keys.get(key);
    }

    /**
     * Whether attempts of {@code key} collided less than {@code window} ago, or have kept overlapping since:
     * a yes while others of the key run starts the window again. For work that answers collisions by locking
     * (db.optimistic): locked attempts stop colliding, so by collisions alone the window would run out on a
     * row as busy as before, and every caller would try without locks at once and collide in a burst.
     */
    public boolean contendedWithin(Object key, Duration window) {
        KeyLimit k = keys.get(key);
        return k != null && overlapping(k, window.toNanos(), 0);
    }

    /** {@link #contendedWithin} for {@code k}, which {@code self} of the attempts in flight are the caller's. */
    static boolean overlapping(KeyLimit k, long windowNanos, int self) {
        long now = System.nanoTime();
        if (now - Math.max(k.lastCollision, k.lastOverlap) >= windowNanos) {
            return false;
        }
        if (k.inFlight.get() > self) {
            k.lastOverlap = now;
        }
        return true;
    }

    /** A failed attempt of a key without a record: a collision creates the record and counts against it. */
    public void failed(Object key, Throwable failure) {
        if (Outcome.of(failure) != Outcome.COLLIDED) {
            return;
        }
        if (keys.size() >= MAX_KEYS) {
            keys.values().removeIf(KeyLimit::idle);
        }
        // a row's record counts towards its call site's: while one of its rows is hot, its attempts name theirs
        keys.computeIfAbsent(key, k -> new KeyLimit(k, k instanceof RowKey ? keys.get(((RowKey) k).site()) : null))
                .collidedUncounted();
    }

    void released(KeyLimit k, KeyLimit.Change change) {
        if (change != null) {
            emit.accept(l -> l.contentionLimitChanged(k.key, change.previous(), change.limit()));
        }
    }

    /** Every key that has collided, as it stands now. */
    public List<KeyContention> snapshot() {
        List<KeyContention> out = new ArrayList<>(keys.size());
        for (KeyLimit k : keys.values()) {
            out.add(k.snapshot());
        }
        return out;
    }

    /** Wakes every waiter, which then fails with CLOSED; later admissions of hot keys fail the same way. */
    public void close() {
        closed = true;
        combiner.close();
        for (KeyLimit k : keys.values()) {
            k.wakeAll();
        }
    }
}
