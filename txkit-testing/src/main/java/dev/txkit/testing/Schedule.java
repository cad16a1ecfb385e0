package dev.txkit.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The turn-taking behind {@link Interleaving}: one monitor, a pointer into the order, and the step
 * that holds the turn. A step starts when it is next in the order and no step holds the turn; it
 * holds the turn until its actor calls the next step or ends. Thread-safe (all state under the monitor).
 */
final class Schedule {
    private final List<String> order;
    private final long timeoutNanos;
    private final List<String> trace = new ArrayList<>();
    private final List<String> skipped = new ArrayList<>();
    private final Set<String> finished = new HashSet<>();
    private final Map<String, Long> startedAt = new HashMap<>();
    private int next;
    private String holder;

    Schedule(List<String> order, Duration timeout) {
        this.order = order;
        this.timeoutNanos = timeout.toNanos();
    }

    synchronized void step(String actor, String name) {
        String key = actor + "." + name;
        int position = order.indexOf(key);
        if (position < 0) {
            throw new IllegalStateException("actor " + actor + " reached step '" + name + "', which is not in the order "
                    + order);
        }
        release(actor);
        long deadline = System.nanoTime() + timeoutNanos;
        while (holder != null || next >= order.size() || !order.get(next).equals(key)) {
            if (holder == null && next < order.size() && actorOf(order.get(next)).equals(actor)) {
                throw new IllegalStateException("actor " + actor + " reached step '" + name + "' but the order expects "
                        + order.get(next) + " next; the script and the order disagree");
            }
            if (position < next && !order.subList(next, order.size()).contains(key)) {
                throw new IllegalStateException("step " + key + " comes too late: the order has moved past it");
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(key + " did not get its turn within " + timeoutNanos / 1_000_000 + " ms; "
                        + describe());
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(key + " was interrupted while waiting for its turn; " + describe(), e);
            }
        }
        holder = key;
        next++;
        trace.add(key);
        startedAt.put(key, System.nanoTime());
    }

    synchronized void finished(String actor) {
        release(actor);
        finished.add(actor);
        skipEnded();
        notifyAll();
    }

    /** Ends the step {@code actor} holds, if any. */
    private void release(String actor) {
        if (holder != null && actorOf(holder).equals(actor)) {
            holder = null;
            skipEnded();
            notifyAll();
        }
    }

    private void skipEnded() {
        while (holder == null && next < order.size() && finished.contains(actorOf(order.get(next)))) {
            skipped.add(order.get(next++));
        }
    }

    private static String actorOf(String key) {
        return key.substring(0, key.indexOf('.'));
    }

    synchronized List<String> trace() {
        return new ArrayList<>(trace);
    }

    synchronized List<String> skipped() {
        return new ArrayList<>(skipped);
    }

    synchronized String describe() {
        String waitingFor = next < order.size() ? order.get(next) : "(end of order)";
        if (holder != null) {
            long ms = (System.nanoTime() - startedAt.get(holder)) / 1_000_000;
            return "the turn is held by " + holder + ", running for " + ms + " ms (blocked, e.g. on a row lock"
                    + " another actor holds?); next in order: " + waitingFor + "; ran so far: " + trace;
        }
        return "waiting for " + waitingFor + ", whose actor has not reached it; ran so far: " + trace;
    }
}
