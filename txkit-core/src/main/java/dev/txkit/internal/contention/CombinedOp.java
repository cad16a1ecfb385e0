package dev.txkit.internal.contention;

/**
 * One caller's operation in a {@link Combiner} lane. The batch runner gives it an outcome with
 * {@link #complete} or {@link #fail}; one left without an outcome is queued again (at the front, in
 * order). The outcome is published to the caller by the lane's volatile state, so the fields need no
 * further synchronisation: written by the leader before DONE, read by the caller after it.
 */
public abstract class CombinedOp {
    static final int QUEUED = 0;
    static final int LEAD = 1;
    static final int IN_BATCH = 2;
    static final int DONE = 3;

    final Thread thread = Thread.currentThread();
    volatile int state = QUEUED;
    private boolean hasOutcome;
    private Object value;
    private Throwable failure;
    private boolean solo;

    public final void complete(Object value) {
        this.value = value;
        this.failure = null;
        this.hasOutcome = true;
    }

    public final void fail(Throwable failure) {
        this.value = null;
        this.failure = failure;
        this.hasOutcome = true;
    }

    /** Queue it again to run in a batch of its own (to find out which change a batch failure belongs to). */
    public final void retryAlone() {
        hasOutcome = false;
        solo = true;
    }

    /** Queue it again, in its place, for the next batch. */
    public final void retryLater() {
        hasOutcome = false;
    }

    final boolean hasOutcome() {
        return hasOutcome;
    }

    final boolean solo() {
        return solo;
    }

    /** The result after DONE ({@code null} when it failed). */
    public final Object value() {
        return value;
    }

    /** The failure after DONE, or {@code null}. */
    public final Throwable failure() {
        return failure;
    }
}
