package dev.txkit.internal;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;
import dev.txkit.internal.pool.ConnectionSource;
import dev.txkit.internal.pool.PoolIdentity;

import javax.sql.DataSource;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The process's pools and what their Databases share ({@link PoolShare}). Keys are the pools
 * (found by {@link PoolIdentity}) held weakly, values are weak too: the registry never keeps a pool or
 * a Database reachable; a share lives as long as one of its Databases does, and leaves the
 * registry when the last one closes. Thread-safe (one lock, no I/O under it).
 */
public final class PoolShares {
    private static final Map<DataSource, WeakReference<PoolShare>> SHARES = new WeakHashMap<>();

    private PoolShares() {
    }

    /** The pool behind {@code ds}: txkit's own {@code db.dataSource()} is its Database's pool. */
    static DataSource identity(DataSource ds) {
        DataSource d = ds instanceof RoutingDataSource ? ((RoutingDataSource) ds).engine().pool : ds;
        return PoolIdentity.of(d);
    }

    /** The share of {@code engine}'s pool, joined. */
    static PoolShare join(Engine engine) {
        DataSource key = identity(engine.pool);
        PoolShare share;
        synchronized (SHARES) {
            WeakReference<PoolShare> ref = SHARES.get(key);
            share = ref == null ? null : ref.get();
            if (share != null && share.storage.getClass() != engine.settings.storage.getClass()) {
                throw new TxkitException(ErrorCode.INVALID_ARGUMENT, "another Database over " + share + " keeps its"
                        + " transaction scope in " + share.storage.getClass().getName() + ", so this one cannot use "
                        + engine.settings.storage.getClass().getName() + ": Databases over one pool share one scope");
            }
            if (share == null) {
                share = new PoolShare(key.getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(key)),
                        ConnectionSource.of(key), engine.settings.storage);
                SHARES.put(key, new WeakReference<>(share));
            }
            share.join(engine);
        }
        return share;
    }

    static void leave(PoolShare share, Engine engine) {
        synchronized (SHARES) {
            if (share.leave(engine)) {
                SHARES.values().removeIf(r -> r.get() == share || r.get() == null);
            }
        }
    }

    /** The shares in use right now (a snapshot), for the detector, which must see every door. */
    public static List<PoolShare> live() {
        List<PoolShare> out = new ArrayList<>();
        synchronized (SHARES) {
            for (WeakReference<PoolShare> r : SHARES.values()) {
                PoolShare s = r.get();
                if (s != null && s.databases() > 0) {
                    out.add(s);
                }
            }
        }
        return out;
    }
}
