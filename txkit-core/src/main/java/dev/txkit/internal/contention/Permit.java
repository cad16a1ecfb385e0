package dev.txkit.internal.contention;

import dev.txkit.TxOptions;
import dev.txkit.internal.tx.Admission;
import dev.txkit.internal.tx.StatementText;

/**
 * One admitted attempt. End it with {@link #committed()} or {@link #failed(Throwable)}, once.
 * Not thread-safe (one attempt, one thread).
 *
 * <p>An attempt of a call site whose transactions collide (or one of whose rows is hot) names its row at its
 * first statement ({@link #firstStatement}): where that row is hot the attempt moves from the call site's
 * place to one of the row's, or, if the row's places are taken, starts again once it gets one
 * ({@link Readmit}). Else it stays with the call site, and a collision counts against the row too.
 */
public final class Permit implements Admission {
    private final ContentionControl owner;
    private final TxOptions options;
    private final boolean solo;
    private KeyLimit key;
    private long admittedAt;
    private Slot slot;
    private boolean hot;
    private boolean left;
    /** It leaves at its first write: its outcome says whether that works for the key. */
    private boolean leavesAtWrite;
    /** Its plain reads are sent as locking reads ({@link #readsLock}). */
    private boolean readsLocked;
    /** The row its first statement named, while it stays with the call site: a collision counts there too. */
    private RowKey row;
    /** Set when it must start again behind its row: whatever the callback does next, it rolls back. */
    private Readmit readmit;

    Permit(ContentionControl owner, KeyLimit key, TxOptions options, long admittedAt, Slot slot, boolean hot,
           boolean solo) {
        this.owner = owner;
        this.key = key;
        this.options = options;
        this.admittedAt = admittedAt;
        this.slot = slot;
        this.hot = hot;
        this.solo = solo;
    }

    @Override
    public boolean single() {
        return hot && key.single();
    }

    @Override
    public void leavingAtWrite() {
        leavesAtWrite = true;
    }

    /** Colliding when admitted, or since a collision within the last second its attempts kept overlapping. */
    @Override
    public boolean hot() {
        return hot || ContentionControl.overlapping(key, 1_000_000_000L, 1);
    }

    /**
     * A call site's attempt (not an explicit key's: its owner chose it), while the site or one of its rows is hot
     * or its reads lock ({@link #readsLock}); or a watched call site's ({@link ContentionControl.Observed}:
     * db.optimistic) while it is contended. A first statement that is a locking read then takes one of its row's
     * {@link ContentionControl#LOCKING_PLACES}; any other names its row as usual.
     */
    @Override
    public void readsLock() {
        readsLocked = true;
    }

    @Override
    public boolean probesRows() {
        return key.key instanceof Class ? readsLocked || key.hot || key.hotRows.get() > 0
                : key.key instanceof ContentionControl.Observed && ContentionControl.overlapping(key, 1_000_000_000L, 1);
    }

    /**
     * The attempt's first statement, not sent yet: {@code sql} with {@code values} (its arguments). Where the row
     * it names is hot, the attempt gives up its call site's place and takes one of the
     * row's, or throws {@link Readmit} to wait for one; else it stays, remembering the row.
     */
    @Override
    public void firstStatement(String sql, Object values) {
        boolean watched = key.key instanceof ContentionControl.Observed;
        // readsLocked implies an isolation whose plain reads lock (MariaDB's SERIALIZABLE: shared, or exclusive
        // where txkit rewrites them), so every plain SELECT is a locking read there
        boolean locking = (watched || readsLocked)
                && (StatementText.lockingRead(sql) || (readsLocked && StatementText.plainSelect(sql)));
        if (watched && !locking) {
            return; // a watched site's plain reads collide, and it answers that by locking them
        }
        RowKey named = new RowKey(key.key, sql, values);
        KeyLimit r = locking ? owner.lockingRow(named) : owner.record(named);
        if (locking && r.inFlight.get() > 0) {
            key.lastOverlap = System.nanoTime(); // its calls overlap on the row: the site stays contended
        }
        if (r == null || !r.hot) {
            row = named;
            return;
        }
        Slot taken = r.tryAdmit(solo);
        // The site's place goes back as a clean one: this attempt is its row's now and did not collide as the
        // site's, so a site whose collisions all happen on hot rows cools (its attempts then take no place)
        owner.released(key, key.release(Outcome.COMMITTED, admittedAt, left, slot, false));
        if (taken == null) {
            readmit = new Readmit(named);
            throw readmit;
        }
        key = r;
        slot = taken;
        admittedAt = System.nanoTime();
        hot = r.hot;
        left = false;
    }

    /** The Readmit the attempt ended with, if it must start again behind its row (see {@link #firstStatement}). */
    public RuntimeException pendingReadmit() {
        return readmit;
    }

    /** The options to run the attempt with: the timeout reduced by the time spent waiting for admission. */
    public TxOptions options() {
        return options;
    }

    long admittedAt() {
        return admittedAt;
    }

    boolean solo() {
        return solo;
    }

    public void committed() {
        owner.released(key, key.release(Outcome.COMMITTED, admittedAt, left, slot, leavesAtWrite));
    }

    public void failed(Throwable failure) {
        Outcome outcome = Outcome.of(failure);
        owner.released(key, key.release(outcome, admittedAt, left, slot, leavesAtWrite));
        if (row != null && outcome == Outcome.COLLIDED) {
            owner.failed(row, failure);
        }
    }

    /**
     * Lets the next attempt in before this one has ended: while its COMMIT is on its way, on databases
     * that release row locks before the commit is durable (InnoDB), so the next one's reads wait only
     * for the commit in memory, not for the log flush; or as soon as its first write has returned, where
     * the next one's reads lock and so queue in the server behind that write (see
     * {@code Dialect.readsWaitForWrites}). The outcome is still learnt from at the end. At most once.
     */
    @Override
    public void leave() {
        if (!left) {
            left = true;
            key.leave(slot);
        }
    }
}
