package dev.txkit.testing;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A forced, step-by-step interleaving of a few actors, each on its own thread (so each can hold
 * its own transaction). An actor's script marks its steps with {@link Turn#step(String)}; the code
 * after a step runs when, and only when, the {@link #order(String...) order} reaches that step, and
 * counts as that step until the actor's next {@code step} call or its end (commit included).
 * Nothing else of another actor runs in between, so
 * <pre>{@code
 * Race.interleave()
 *     .actor("A", t -> db.inTransaction(tx -> { t.step("read"); var w = read(); t.step("write"); return write(w); }))
 *     .actor("B", t -> db.inTransaction(tx -> { t.step("read"); var w = read(); t.step("write"); return write(w); }))
 *     .order("A.read", "B.read", "A.write", "B.write")
 *     .run();
 * }</pre>
 * reproduces a lost update every time. Steps of an actor that ended (e.g. failed) are skipped. A step
 * that cannot get its turn within the timeout (default 10 s) fails its actor with an
 * {@link AssertionError} that says which step holds the turn — typically one blocked on a row lock
 * another actor holds.
 *
 * <p>Configure from one thread, then {@link #run()}; not reusable concurrently.
 */
public final class Interleaving {
    /** An actor's code. */
    @FunctionalInterface
    public interface Script {
        /**
         * The actor's work, on its own thread.
         *
         * @param turn marks the actor's steps
         * @return the actor's value, for {@link Result#value(String)}
         * @throws Exception any failure; it ends the actor and is kept for {@link Result#failure(String)}
         */
        Object run(Turn turn) throws Exception;
    }

    /** Handed to an actor's script to mark its steps. */
    public interface Turn {
        /**
         * Waits until the order reaches {@code actor.name}; the code after it is that step.
         *
         * @param name the step's name within this actor, as used in {@link #order(String...)}
         */
        void step(String name);
    }

    private final Map<String, Script> actors = new LinkedHashMap<>();
    private List<String> order = List.of();
    private Duration timeout = Duration.ofSeconds(10);

    Interleaving() {
    }

    /**
     * Adds an actor.
     *
     * @param name a new name without {@code '.'}
     * @param script the actor's code
     * @return this interleaving
     * @throws TxkitException {@link ErrorCode#INVALID_ARGUMENT} for a null, empty, dotted or repeated name
     *         or a null script
     */
    public Interleaving actor(String name, Script script) {
        if (name == null || name.isEmpty() || name.contains(".") || script == null || actors.containsKey(name)) {
            throw invalid("actor needs a new name without '.' and a script; got " + name);
        }
        actors.put(name, script);
        return this;
    }

    /**
     * The order of the steps.
     *
     * @param steps at least one, each {@code "actor.step"}
     * @return this interleaving
     * @throws TxkitException {@link ErrorCode#INVALID_ARGUMENT} for no steps or one not shaped {@code actor.step}
     */
    public Interleaving order(String... steps) {
        if (steps == null || steps.length == 0) {
            throw invalid("order needs at least one step");
        }
        for (String s : steps) {
            int dot = s == null ? -1 : s.indexOf('.');
            if (dot < 1 || dot == s.length() - 1) {
                throw invalid("step " + s + " must look like actor.step");
            }
        }
        this.order = List.copyOf(Arrays.asList(steps));
        return this;
    }

    /**
     * How long a step may wait for its turn, and the whole run for its actors. Default 10 s.
     *
     * @param timeout positive
     * @return this interleaving
     * @throws TxkitException {@link ErrorCode#INVALID_ARGUMENT} for a null, zero or negative timeout
     */
    public Interleaving timeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw invalid("timeout must be positive");
        }
        this.timeout = timeout;
        return this;
    }

    private static TxkitException invalid(String message) {
        return TxkitException.of(ErrorCode.INVALID_ARGUMENT, message);
    }

    /**
     * Runs all actors and returns when all have ended.
     *
     * @return what happened
     * @throws TxkitException {@link ErrorCode#INVALID_ARGUMENT} without actors or order, or for a step naming
     *         no actor
     * @throws AssertionError when actors are still running after the timeout (they are interrupted)
     */
    public Result run() {
        Race.started();
        if (actors.isEmpty() || order.isEmpty()) {
            throw invalid("add actors and an order before run()");
        }
        for (String s : order) {
            if (!actors.containsKey(s.substring(0, s.indexOf('.')))) {
                throw invalid("step " + s + " names no actor; actors are " + actors.keySet());
            }
        }
        Schedule schedule = new Schedule(order, timeout);
        Map<String, Object> values = Collections.synchronizedMap(new LinkedHashMap<>());
        Map<String, Throwable> failures = Collections.synchronizedMap(new LinkedHashMap<>());
        List<Thread> threads = new ArrayList<>();
        for (Map.Entry<String, Script> a : actors.entrySet()) {
            String actor = a.getKey();
            Thread t = new Thread(() -> {
                try {
                    values.put(actor, a.getValue().run(name -> schedule.step(actor, name)));
                } catch (Throwable e) {
                    failures.put(actor, e);
                } finally {
                    schedule.finished(actor);
                }
            }, "interleave-" + actor);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        long deadline = System.nanoTime() + timeout.toNanos() * (order.size() + 1);
        List<String> stuck = new ArrayList<>();
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (t.isAlive()) {
                stuck.add(t.getName());
                t.interrupt();
            }
        }
        if (!stuck.isEmpty()) {
            throw new AssertionError("actors did not end: " + stuck + "; " + schedule.describe());
        }
        return new Result(schedule.trace(), schedule.skipped(), values, failures);
    }

    /**
     * What happened: the steps in the order they ran, the steps skipped because their actor had ended,
     * and each actor's value or failure. Immutable.
     */
    public static final class Result {
        private final List<String> steps;
        private final List<String> skipped;
        private final Map<String, Object> values;
        private final Map<String, Throwable> failures;

        Result(List<String> steps, List<String> skipped, Map<String, Object> values, Map<String, Throwable> failures) {
            this.steps = List.copyOf(steps);
            this.skipped = List.copyOf(skipped);
            this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
            this.failures = Collections.unmodifiableMap(new LinkedHashMap<>(failures));
        }

        /** {@return the steps that ran, in the order they ran} */
        public List<String> steps() {
            return steps;
        }

        /** {@return the steps of the order that never ran because their actor had already ended} */
        public List<String> skipped() {
            return skipped;
        }

        /**
         * What {@code actor}'s script returned.
         *
         * @param actor the actor's name
         * @return its value; {@code null} for an unknown actor
         * @throws AssertionError (with the failure as cause) if the actor failed
         */
        public Object value(String actor) {
            Throwable f = failures.get(actor);
            if (f != null) {
                throw new AssertionError("actor " + actor + " failed: " + f, f);
            }
            return values.get(actor);
        }

        /**
         * How {@code actor} failed.
         *
         * @param actor the actor's name
         * @return its failure, or {@code null} if it returned normally
         */
        public Throwable failure(String actor) {
            return failures.get(actor);
        }

        @Override
        public String toString() {
            return "Interleaving.Result[steps=" + steps + ", skipped=" + skipped + ", failed=" + failures.keySet() + "]";
        }
    }
}
