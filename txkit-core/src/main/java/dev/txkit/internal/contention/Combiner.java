package dev.txkit.internal.contention;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Group commit in the client (issue 14): operations on one key queue in a lane; the first caller to find
 * the lane idle leads a batch of everything queued (up to a cap) and, when it is done, hands the lead to
 * the first operation that queued meanwhile — so batches form while the previous one commits, with no
 * timer, and each leader does exactly one batch (its own latency is its batch's, not its followers').
 *
 * <p>Nobody can be left waiting: a leader's batch ends in a {@code finally} that gives every operation
 * of the batch an outcome (the runner's, or the exception that escaped it) and passes the lead on; a
 * leader interrupted before it starts hands the lead over and withdraws; a queued caller that is
 * interrupted withdraws; {@link #close()} fails everything still queued with CLOSED. An operation already
 * in a running batch waits for that batch's outcome, whatever happens to its own thread, since its
 * change may be committed. One lane per key, removed when idle. Thread-safe.
 */
public final class Combiner {
    private final ConcurrentHashMap<Object, Lane> lanes = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private static final class Lane {
        final Object key;
        final ReentrantLock lock = new ReentrantLock();
        final ArrayDeque<CombinedOp> pending = new ArrayDeque<>();
        boolean leading;
        boolean dead;

        Lane(Object key) {
            this.key = key;
        }
    }

    /**
     * Runs {@code op} in a batch of {@code key}'s lane and returns once it has an outcome. {@code runner}
     * runs on the leader's thread and must give each operation of the batch an outcome, or leave it
     * without one to have it queued again; a batch of one always ends with an outcome.
     */
    @SuppressWarnings("unchecked")
    public <O extends CombinedOp> void submit(Object key, O op, int cap, Consumer<List<O>> runner) {
        Lane lane = join(key, op);
        boolean interrupted = false;
        try {
            for (;;) {
                int st = op.state;
                if (st == CombinedOp.DONE) {
                    return;
                }
                if (st == CombinedOp.LEAD) {
                    lead(lane, op, cap, (Consumer<List<CombinedOp>>) (Consumer<?>) runner);
                    continue;
                }
                if (Thread.interrupted()) {
                    interrupted = true;
                }
                if ((interrupted || closed) && st == CombinedOp.QUEUED && withdraw(lane, op)) {
                    op.fail(closed ? closedError() : interruptedError());
                    op.state = CombinedOp.DONE;
                    return;
                }
                LockSupport.park(this);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Lane join(Object key, CombinedOp op) {
        for (;;) {
            Lane lane = lanes.computeIfAbsent(key, Lane::new);
            lane.lock.lock();
            try {
                if (lane.dead) {
                    continue; // it went idle and was removed just now: use the next one
                }
                if (closed) {
                    throw closedError();
                }
                lane.pending.addLast(op);
                if (!lane.leading) {
                    lane.leading = true;
                    op.state = CombinedOp.LEAD;
                }
                return lane;
            } finally {
                lane.lock.unlock();
            }
        }
    }

    private void lead(Lane lane, CombinedOp self, int cap, Consumer<List<CombinedOp>> runner) {
        List<CombinedOp> batch = new ArrayList<>();
        lane.lock.lock();
        try {
            if (Thread.currentThread().isInterrupted()) {
                // a leader about to be stopped must not start a batch others depend on
                lane.pending.remove(self);
                self.fail(interruptedError());
                self.state = CombinedOp.DONE;
                passLead(lane);
                return;
            }
            drain(lane.pending, cap, batch);
        } finally {
            lane.lock.unlock();
        }
        try {
            if (closed) {
                throw closedError();
            }
            runner.accept(batch);
        } catch (Throwable t) {
            for (CombinedOp op : batch) {
                if (!op.hasOutcome()) {
                    op.fail(t);
                }
            }
        } finally {
            finish(lane, batch);
        }
    }

    private static void drain(ArrayDeque<CombinedOp> pending, int cap, List<CombinedOp> batch) {
        CombinedOp head = pending.pollFirst();
        head.state = CombinedOp.IN_BATCH;
        batch.add(head);
        while (!head.solo() && batch.size() < cap && !pending.isEmpty() && !pending.peekFirst().solo()) {
            CombinedOp op = pending.pollFirst();
            op.state = CombinedOp.IN_BATCH;
            batch.add(op);
        }
    }

    private void finish(Lane lane, List<CombinedOp> batch) {
        if (batch.size() == 1 && !batch.get(0).hasOutcome()) {
            batch.get(0).fail(TxkitException.of(ErrorCode.SQL_ERROR, "txkit: a combined operation ended without"
                    + " an outcome")); // never requeue a lone operation: that could loop forever
        }
        lane.lock.lock();
        try {
            for (int i = batch.size() - 1; i >= 0; i--) {
                CombinedOp op = batch.get(i);
                if (!op.hasOutcome()) {
                    op.state = CombinedOp.QUEUED;
                    lane.pending.addFirst(op);
                }
            }
            passLead(lane);
        } finally {
            lane.lock.unlock();
        }
        for (CombinedOp op : batch) {
            if (op.hasOutcome()) {
                op.state = CombinedOp.DONE;
                LockSupport.unpark(op.thread);
            }
        }
    }

    /** Under the lane's lock: the next queued operation leads, or the lane goes idle and is removed. */
    private void passLead(Lane lane) {
        CombinedOp next = lane.pending.peekFirst();
        if (next == null) {
            lane.leading = false;
            lane.dead = true;
            lanes.remove(lane.key, lane);
            return;
        }
        next.state = CombinedOp.LEAD;
        LockSupport.unpark(next.thread);
    }

    private static boolean withdraw(Lane lane, CombinedOp op) {
        lane.lock.lock();
        try {
            if (op.state != CombinedOp.QUEUED) {
                return false;
            }
            lane.pending.remove(op);
            return true;
        } finally {
            lane.lock.unlock();
        }
    }

    /** Fails every queued operation with CLOSED; batches already running finish (or fail) on their own. */
    public void close() {
        closed = true;
        for (Lane lane : lanes.values()) {
            lane.lock.lock();
            try {
                for (CombinedOp op : lane.pending) {
                    LockSupport.unpark(op.thread); // a queued op withdraws itself; a promoted leader fails its batch
                }
            } finally {
                lane.lock.unlock();
            }
        }
    }

    private static TxkitException closedError() {
        return TxkitException.of(ErrorCode.CLOSED, "the Database was closed while this Table.modify waited for"
                + " its combined batch; nothing of it was written");
    }

    private static TxkitException interruptedError() {
        return TxkitException.of(ErrorCode.CLOSED, "the thread was interrupted while this Table.modify waited"
                + " for its combined batch; nothing of it was written");
    }
}
