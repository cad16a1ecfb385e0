package dev.txkit.internal.watch;

import dev.txkit.ErrorCode;
import dev.txkit.dialect.Dialect;
import dev.txkit.dialect.Dialects;
import dev.txkit.internal.jdbc.InFlight;
import dev.txkit.internal.jdbc.TxView;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One look at the server's lock view for a {@link SelfDeadlockDetector}, on its probe thread: who
 * waits for the candidate transactions' locks, and what this pool's long statements wait for. For
 * each session that waits for a candidate:
 * <ul>
 *   <li>a txkit statement of any Database on the same server (this pool or another one): if no
 *       thread of the transaction can advance it but that statement's, the statement is cancelled
 *       with SELF_DEADLOCK, naming the door (which pool) and the thread;</li>
 *   <li>a session txkit never saw (plain JDBC, a JdbcTemplate or a JDBI handle on the raw pool,
 *       another pool) whose client endpoint is a TCP socket of this very process
 *       ({@link LocalSockets}): if the transaction's threads all wait for other threads, or are
 *       inside a JDBC read (then that blocked statement is, as far as can be told, their own), the
 *       server cancels that session's statement ({@code pg_cancel_backend}, {@code KILL QUERY}) and
 *       the transaction is marked to fail with SELF_DEADLOCK;</li>
 *   <li>anything else (another process, or a wait txkit cannot place): nothing is cancelled, but
 *       the wait is noted on the transaction, so that its TIMEOUT at the deadline names it.</li>
 * </ul>
 * Not thread-safe: runs on the detector's single probe thread.
 */
final class LockProbe {
    private final SelfDeadlockDetector d;
    private boolean failureReported;

    LockProbe(SelfDeadlockDetector detector) {
        this.d = detector;
    }

    /** A txkit statement in flight and the pool it came through (null: the detector's own pool). */
    private record Door(InFlight flight, String pool) {
    }

    void run(List<TxView> candidates, List<InFlight> ownWaiters) {
        Dialect dialect = d.dialects.orGeneric();
        long start = System.nanoTime();
        Map<Long, TxView> holders = new HashMap<>();
        for (TxView tx : candidates) {
            if (SelfDeadlockDetector.nearDeadline(tx, start) || d.allWaiting(tx, start)) {
                long id = tx.sessionId();
                if (id > 0) {
                    holders.put(id, tx);
                }
            } else {
                pause(tx, start); // merely busy: not worth a question to the server
            }
        }
        Set<Long> waiterSessions = new HashSet<>();
        for (InFlight f : ownWaiters) {
            long id = session(f, dialect);
            if (id > 0) {
                waiterSessions.add(id);
            }
        }
        if (holders.isEmpty() && waiterSessions.isEmpty()) {
            return;
        }
        List<LockView.Wait> waits;
        try {
            waits = d.lockView.waits(dialect, holders.keySet(), waiterSessions);
            if (waits == null) {
                d.off = true;
                return;
            }
            failureReported = false;
        } catch (SQLException | RuntimeException e) {
            failed(e);
            return;
        }
        long now = System.nanoTime();
        d.lastProbeNanos = now;
        Map<Long, Door> doors = doors(dialect);
        Set<TxView> stopped = new HashSet<>();
        Set<String> endpoints = null;
        for (LockView.Wait w : waits) {
            Door door = doors.get(w.waiter());
            TxView holder = holders.get(w.blocker());
            if (holder != null && (!holder.isOpen() || w.waitedMillis() > holder.ageMillis() + 50)) {
                // the transaction ended while the server was asked, and its pooled connection may
                // already carry the next one: a wait older than the transaction is not on it
                continue;
            }
            if (holder == null) {
                if (door != null) {
                    door.flight().lockWait = "server session " + w.waiter() + " waited " + w.waitedMillis()
                            + " ms for a lock held by server session " + w.blocker();
                }
                continue;
            }
            if (door != null) {
                if (door.flight().tx == holder) {
                    continue;
                }
                door.flight().lockWait = "server session " + w.waiter() + " waited " + w.waitedMillis()
                        + " ms for a lock held by transaction " + holder.id() + " of this process";
                holder.marks().noteLockWait(SelfDeadlockMessage.waitNote(w, "a txkit statement of this process"));
                if (d.stuck(holder, door.flight().thread, now)) {
                    String message = SelfDeadlockMessage.of(door.flight(), holder, d.beginSitesCaptured, door.pool());
                    if (door.flight().cancel(ErrorCode.SELF_DEADLOCK, message)) {
                        SelfDeadlockDetector.LOG.log(System.Logger.Level.WARNING, "txkit: SELF_DEADLOCK: " + message);
                        stopped.add(holder);
                    }
                }
                continue;
            }
            if (endpoints == null) {
                endpoints = LocalSockets.endpoints();
            }
            boolean ours = LocalSockets.ours(endpoints, w.clientHost(), w.clientPort());
            holder.marks().noteLockWait(SelfDeadlockMessage.waitNote(w, ours
                    ? "a connection of this process that txkit does not manage"
                    : "not recognised as a connection of this process"));
            if (ours && d.allWaiting(holder, now)) {
                stopForeign(dialect, w, holder);
                stopped.add(holder);
            }
        }
        for (TxView tx : holders.values()) {
            if (!stopped.contains(tx)) {
                pause(tx, now);
            }
        }
        for (InFlight f : ownWaiters) {
            if (f.cancelCode == null) {
                long elapsed = now - f.startNanos;
                f.nextProbeNanos = now + Math.min(Math.max(elapsed, d.thresholdNanos),
                        TimeUnit.MILLISECONDS.toNanos(SelfDeadlockDetector.MAX_BACKOFF_MILLIS));
                f.probed = true;
            }
        }
    }

    /** Cancels a statement txkit does not manage, on the server, and dooms the transaction it waited for. */
    private void stopForeign(Dialect dialect, LockView.Wait w, TxView holder) {
        String how = dialect == Dialects.MARIADB ? "KILL QUERY" : "pg_cancel_backend";
        String message = SelfDeadlockMessage.foreign(w, holder, how, d.beginSitesCaptured);
        holder.marks().selfDeadlocked(message); // before the cancel: the failure it causes must find the mark
        try {
            d.lockView.cancel(dialect, w.waiter());
            SelfDeadlockDetector.LOG.log(System.Logger.Level.WARNING, "txkit: SELF_DEADLOCK: " + message);
        } catch (SQLException | RuntimeException e) {
            d.listeners.report("self-deadlock detection: cancelling server session " + w.waiter() + " failed", e);
        }
    }

    /** Every txkit statement in flight on this server, by its server session: the doors txkit knows. */
    private Map<Long, Door> doors(Dialect dialect) {
        Map<Long, Door> doors = new HashMap<>();
        for (SelfDeadlockDetector.PoolDoor pool : d.doors.get()) {
            String name = pool.registry() == d.registry ? null : pool.name();
            for (InFlight f : pool.registry().autoFlights()) {
                addDoor(doors, f, name, dialect);
            }
            for (TxView tx : pool.registry().open()) {
                InFlight f = tx.current();
                if (f != null) {
                    addDoor(doors, f, name, dialect);
                }
            }
        }
        return doors;
    }

    private static void addDoor(Map<Long, Door> doors, InFlight f, String pool, Dialect dialect) {
        if (f.statement != null && f.cancelCode == null) {
            long id = session(f, dialect);
            if (id > 0) {
                doors.put(id, new Door(f, pool));
            }
        }
    }

    private static long session(InFlight f, Dialect dialect) {
        return f.tx != null ? f.tx.sessionId() : dialect.sessionId(f.connection);
    }

    private void pause(TxView tx, long now) {
        // near its deadline a transaction is asked about often, so that a late lock wait is still named
        long pause = SelfDeadlockDetector.nearDeadline(tx, now) ? d.thresholdNanos
                : Math.min(Math.max(TimeUnit.MILLISECONDS.toNanos(tx.ageMillis() / 4), d.thresholdNanos),
                TimeUnit.MILLISECONDS.toNanos(SelfDeadlockDetector.MAX_BACKOFF_MILLIS));
        d.nextProbe.put(tx, now + pause);
    }

    private void failed(Exception e) {
        if (d.isClosed()) {
            return; // the pool's last Database closed the side connection under the query
        }
        d.lockView.closeSide();
        d.pausedUntil = System.nanoTime() + SelfDeadlockDetector.RETRY_AFTER_FAILURE_NANOS;
        if (!failureReported) {
            failureReported = true;
            d.listeners.report("self-deadlock detection: the lock-view query failed; retrying in 5 s", e);
        }
    }
}
