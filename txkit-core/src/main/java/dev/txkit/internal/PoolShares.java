package dev.txkit.internal;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;
import dev.txkit.internal.pool.ConnectionSource;
import dev.txkit.internal.pool.PoolIdentity;
import dev.txkit.internal.watch.SelfDeadlockDetector;
import dev.txkit.internal.watch.Servers;
import dev.txkit.spi.ContextStorage;

import javax.sql.DataSource;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;

/**
 * The process's pools and what their Databases share ({@link PoolShare}). Keys are the pools
 * (found by {@link PoolIdentity}) held weakly, values are weak too: the registry never keeps a pool or
 * a Database reachable; a share lives as long as one of its Databases does, and leaves the
 * registry when the last one closes. Thread-safe (one lock, no I/O under it).
 */
final class PoolShares {
    private static final Map<DataSource, WeakReference<PoolShare>> SHARES = new WeakHashMap<>();

    private PoolShares() {
    }

    /** The share of {@code pool}, joined by {@code engine}. */
    static PoolShare join(DataSource pool, ContextStorage storage, Engine engine) {
        DataSource key = PoolIdentity.of(pool);
        synchronized (SHARES) {
            WeakReference<PoolShare> ref = SHARES.get(key);
            PoolShare share = ref == null ? null : ref.get();
            if (share != null && share.storage.getClass() != storage.getClass()) {
                throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "another Database over " + share + " keeps its"
                        + " transaction scope in " + share.storage.getClass().getName() + ", so this one cannot use "
                        + storage.getClass().getName() + ": Databases over one pool share one scope");
            }
            if (share == null) {
                share = new PoolShare(key.getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(key)),
                        ConnectionSource.of(key), storage);
                SHARES.put(key, new WeakReference<>(share));
            }
            share.join(engine);
            return share;
        }
    }

    static void leave(PoolShare share, Engine engine) {
        synchronized (SHARES) {
            if (share.leave(engine)) {
                SHARES.values().removeIf(r -> r.get() == share || r.get() == null);
            }
        }
    }

    /** The pools in use on {@code share}'s server (itself included), for the detector's doors. */
    static List<SelfDeadlockDetector.PoolDoor> doorsOn(PoolShare share) {
        String server = Servers.key(share.poolSource.jdbcUrl());
        List<SelfDeadlockDetector.PoolDoor> out = new ArrayList<>();
        synchronized (SHARES) {
            for (WeakReference<PoolShare> r : SHARES.values()) {
                PoolShare s = r.get();
                if (s != null && s.databases() > 0 && (s == share
                        || server != null && Objects.equals(server, Servers.key(s.poolSource.jdbcUrl())))) {
                    out.add(new SelfDeadlockDetector.PoolDoor(s.toString(), s.registry));
                }
            }
        }
        return out;
    }
}
