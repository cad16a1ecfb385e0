package dev.txkit.internal.tx;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;
import dev.txkit.internal.jdbc.Errors;
import dev.txkit.internal.jdbc.TxView;
import dev.txkit.spi.TransactionBridge;
import dev.txkit.spi.TxAttempt;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * How one physical transaction ends: its state, the failure that ended it, rollback-only marks from
 * joined scopes, the afterCommit / afterRollback hooks, and giving the connection back (restoring what
 * the transaction changed, autocommit on, close, unregister). The state is written under the
 * transaction's statement lock and read without it (volatile); the other fields are guarded by the lock.
 */
final class TxOutcome {
    enum State { ACTIVE, COMMITTED, ROLLED_BACK, TIMED_OUT, UNKNOWN }

    final TxView tx;
    private final TxAttempt attempt;
    private final long startNanos;
    private final Connection connection;
    /**
     * The dialect's restoring of the options it changed at begin, or null (see {@link TxConnection#giveBack}); set
     * late where the begin was deferred to the first statement ({@link DeferredBegin}).
     */
    private Runnable restore;
    private final boolean poolAutoCommit;
    final TxRuntime rt;
    private final TxLock lock;
    /** Made by the first hook: most transactions have none. */
    private TxHooks hooks;
    private boolean hooksTaken;
    /** Run once just before COMMIT is sent: lets the next attempt of a hot key in (see TxBegin). */
    Runnable commitSending;
    private volatile State state = State.ACTIVE;
    private volatile long endNanos;
    private volatile TxkitException endCause;
    private boolean endedByCaller;
    private TxkitException rollbackOnly;
    private boolean markedByCall;
    /** Set when this transaction is another manager's, joined through a bridge (see {@link Bridging}). */
    TransactionBridge.ForeignTransaction foreign;
    /** Set while another manager's code can join this transaction (see {@link Bridging}); owner thread only. */
    TransactionBridge.Binding binding;

    TxOutcome(TxView tx, TxAttempt attempt, long startNanos, Connection connection, Runnable restore,
              boolean poolAutoCommit, TxRuntime rt, TxLock lock) {
        this.tx = tx;
        this.attempt = attempt;
        this.startNanos = startNanos;
        this.connection = connection;
        this.restore = restore;
        this.poolAutoCommit = poolAutoCommit;
        this.rt = rt;
        this.lock = lock;
    }

    State state() {
        return state;
    }

    boolean active() {
        return state == State.ACTIVE;
    }

    /**
     * The callback returned normally but the transaction had already ended: fine if its own code ended it
     * (and not by timing out), else the failure that ended it reaches the caller. Runs the hooks either way.
     */
    void endedBeforeReturn() {
        if (endedByCaller && state != State.TIMED_OUT) {
            runHooks();
            return;
        }
        TxkitException cause = endCause;
        runHooks();
        if (cause == null) {
            throw closedError("COMMIT");
        }
        throw TxMessages.rolledBackBeforeReturn(tx.id(), cause);
    }

    /** CLOSED (or TIMEOUT, when the deadline ended it) for {@code what} after the end. */
    TxkitException closedError(String what) {
        return TxMessages.closed(tx.id(), state, endCause, what);
    }

    /** Rolls back (quietly: failures become suppressed on {@code cause}) and releases the connection. Under the lock. */
    void end(State newState, TxkitException cause) {
        if (state != State.ACTIVE) {
            return;
        }
        endCause = cause;
        rollbackConnection(cause);
        finish(newState, cause);
    }

    /** COMMIT, or ROLLBACK_ONLY when a joined scope failed. Under the lock, after the deadline check. */
    void commit() {
        TxkitException refused = tx.marks().commitRefusal(tx.id()); // the detector cancelled what it blocked
        if (refused == null && rollbackOnly != null) {
            refused = TxkitException.of(ErrorCode.ROLLBACK_ONLY, "transaction " + tx.id()
                    + " was rolled back instead of committed because " + (markedByCall
                    ? TxMessages.stripCode(rollbackOnly) : "a joined scope failed with "
                    + rollbackOnly.getClass().getSimpleName() + "; use Propagation.NESTED to contain failures"),
                    rollbackOnly);
        }
        if (refused != null) {
            end(State.ROLLED_BACK, refused);
            throw refused;
        }
        TxkitException vetoed = Bridging.beforeCommit(this);
        if (vetoed != null) {
            end(State.ROLLED_BACK, vetoed);
            throw vetoed;
        }
        try {
            Runnable sending = commitSending;
            if (sending != null) {
                commitSending = null;
                sending.run();
            }
            connection.commit();
        } catch (SQLException e) {
            TxkitException x = Errors.translate(rt.dialects().orGeneric(), e, "COMMIT", true, rt.settings().showValues);
            if (x.code() == ErrorCode.COMMIT_UNKNOWN) {
                endCause = x;
                finish(State.UNKNOWN, x);
            } else {
                end(State.ROLLED_BACK, x);
            }
            throw x;
        }
        endedByCaller = true;
        finish(State.COMMITTED, null);
    }

    /** The owner's ROLLBACK. Under the lock; CLOSED if it had committed or was already rolled back by its owner. */
    void rollback() {
        if (state != State.ACTIVE) {
            if (endedByCaller || state == State.COMMITTED || state == State.UNKNOWN) {
                throw closedError("ROLLBACK");
            }
            endedByCaller = true; // txkit already rolled back after a failure: nothing left to do
            return;
        }
        endedByCaller = true;
        TxkitException failure = rollbackConnection(null);
        finish(State.ROLLED_BACK, failure);
        if (failure != null) {
            throw failure;
        }
    }

    /** After the callback threw {@code failure}: rolls back, rollback problems become suppressed. Under the lock. */
    void rollbackAfter(Throwable failure) {
        if (state == State.ACTIVE) {
            endedByCaller = true;
            rollbackConnection(failure);
            finish(State.ROLLED_BACK, failure);
        }
    }

    /** A joined scope failed: the commit will roll back instead. */
    void markRollbackOnly(Throwable cause) {
        lock.lock();
        try {
            if (foreign != null) {
                foreign.setRollbackOnly();
            }
            if (rollbackOnly == null) {
                rollbackOnly = cause instanceof TxkitException ? (TxkitException) cause
                        : TxkitException.of(ErrorCode.ROLLBACK_ONLY, "a joined scope failed", cause);
            }
        } finally {
            lock.unlock();
        }
    }

    /** {@code tx.setRollbackOnly()}: the commit will roll back instead; CLOSED after the end. */
    void setRollbackOnly() {
        lock.lock();
        try {
            if (state != State.ACTIVE) {
                throw closedError("setRollbackOnly()");
            }
            if (rollbackOnly == null) {
                markedByCall = true;
                rollbackOnly = TxkitException.of(ErrorCode.ROLLBACK_ONLY, "setRollbackOnly() was called on it (thread '"
                        + Thread.currentThread().getName() + "')");
            }
        } finally {
            lock.unlock();
        }
    }

    boolean isRollbackOnly() {
        lock.lock();
        try {
            return rollbackOnly != null;
        } finally {
            lock.unlock();
        }
    }

    /** Registers a hook while the transaction is open; CLOSED after its end. */
    void addHook(Runnable hook, boolean commit) {
        if (hook == null) {
            throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "hook must not be null");
        }
        lock.lock();
        try {
            if (state != State.ACTIVE) {
                throw closedError(commit ? "afterCommit" : "afterRollback");
            }
            (hooks == null ? hooks = new TxHooks() : hooks).add(hook, commit);
        } finally {
            lock.unlock();
        }
    }

    /** The other manager ended the foreign transaction this one stands for. */
    void foreignEnded(boolean committed) {
        lock.lock();
        try {
            if (state == State.ACTIVE) {
                finish(committed ? State.COMMITTED : State.ROLLED_BACK, null);
            }
        } finally {
            lock.unlock();
        }
        runHooks();
    }

    /** Once the transaction has ended: tells the listeners and runs the hooks of its outcome, exactly once. */
    void runHooks() {
        State ended = state;
        if (ended != State.ACTIVE) {
            Bridging.unbind(this, ended == State.COMMITTED);
            // hooks is only ever set under the lock while ACTIVE, before the volatile write of the end
            // state just read: null here means none was registered, and none can be any more
            if (hooks == null && rt.listeners().isEmpty()) {
                return; // nothing to run and nobody to tell: no need for the lock
            }
        }
        List<Runnable> toRun;
        lock.lock();
        try {
            if (hooksTaken || state == State.ACTIVE) {
                return;
            }
            hooksTaken = true;
            // UNKNOWN: neither committed nor rolled back, so neither kind of hook may claim an outcome
            toRun = hooks == null || state == State.UNKNOWN ? null : hooks.of(state == State.COMMITTED);
        } finally {
            lock.unlock();
        }
        // a lost COMMIT is neither a commit nor a rollback; another manager's transaction is not txkit's to count
        if (state != State.UNKNOWN && foreign == null) {
            TxHooks.reportEnd(rt.listeners(), attempt, state == State.COMMITTED, endNanos - startNanos);
        }
        TxHooks.run(toRun, rt.listeners(), state == State.COMMITTED, tx.id());
    }

    /** Rolls back; a failure becomes suppressed on {@code primary}, or is returned when there is none. */
    private TxkitException rollbackConnection(Throwable primary) {
        if (foreign != null) {
            foreign.setRollbackOnly(); // its later statements must not commit without the part undone here
        }
        return TxConnection.rollback(rt, connection, primary);
    }

    /** {@code r}, if not null, is what to restore at give-back (a start sent late: see {@link DeferredBegin}). */
    void restoreWith(Runnable r) {
        if (r != null) {
            restore = r;
        }
    }

    /** Records the outcome and gives the connection back. */
    private void finish(State newState, Throwable primary) {
        if (!rt.listeners().isEmpty()) {
            endNanos = System.nanoTime(); // only listeners hear how long it took
        }
        state = newState;
        try {
            if (foreign == null) { // else the other manager owns the connection and its state
                TxConnection.giveBack(rt, tx.id(), connection, restore, poolAutoCommit, primary);
            }
        } finally {
            rt.registry().unregister(tx);
        }
    }
}
