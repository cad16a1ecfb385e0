package dev.txkit.internal.tx;

import dev.txkit.ErrorCode;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.internal.Engine;
import dev.txkit.retry.RetryPolicy;
import dev.txkit.spi.TransactionBridge;
import dev.txkit.spi.TxAttempt;

import java.sql.Connection;
import java.time.Duration;

/**
 * txkit's side of a {@link TransactionBridge}: joining the other manager's transaction (an
 * <em>adopted</em> {@link PhysicalTx} on its connection, one per foreign transaction) and binding
 * txkit's own transactions so the other manager's code joins them. Stateless; thread-safe.
 */
public final class Bridging {
    /** A foreign transaction without a deadline: long enough never to fire, short enough not to overflow nanoTime. */
    private static final Duration NO_DEADLINE = Duration.ofDays(3650);

    private Bridging() {
    }

    /**
     * The transaction txkit should treat as the scope's: {@code own} unless the bridge says the other
     * manager has put one of its own in its place, or there is none and the other manager has one.
     */
    public static PhysicalTx ambient(Engine engine, TransactionBridge bridge, PhysicalTx own) {
        if (own != null && (own.binding == null || !own.binding.suspended())) {
            return own;
        }
        TransactionBridge.ForeignTransaction foreign = bridge.current(engine.pool);
        if (foreign == null) {
            return own;
        }
        Object state = foreign.attachment();
        if (state instanceof PhysicalTx && ((PhysicalTx) state).isOpen()) {
            return (PhysicalTx) state;
        }
        PhysicalTx adopted = adopt(engine, foreign);
        foreign.attach(adopted, adopted::foreignEnded);
        return adopted;
    }

    private static PhysicalTx adopt(Engine engine, TransactionBridge.ForeignTransaction foreign) {
        Duration left = foreign.remaining();
        TxOptions options = TxOptions.defaults()
                .withIsolation(foreign.isolation())
                .withReadOnly(foreign.readOnly())
                .withTimeout(left == null ? NO_DEADLINE : left.isNegative() || left.isZero() ? Duration.ofNanos(1) : left)
                .withRetry(RetryPolicy.none()); // the other manager owns the boundary: txkit cannot re-run its work
        PhysicalTx tx = new PhysicalTx(engine, options, TxAttempt.single(options), foreign.connection(), null);
        tx.foreign = foreign;
        engine.register(tx);
        return tx;
    }

    /** Lets the other manager's code join {@code tx}, which has just begun; undone by {@link #unbind}. */
    static void bind(Engine engine, PhysicalTx tx) {
        TransactionBridge bridge = engine.settings.bridge;
        if (bridge != null) {
            tx.binding = bridge.bind(engine.pool, new Bound(tx));
        }
    }

    /** Tells the binding that {@code tx} ended; once, and only on the thread that began it. */
    static void unbind(PhysicalTx tx, boolean committed) {
        TransactionBridge.Binding b = tx.binding;
        if (b == null || Thread.currentThread() != tx.owner) {
            return;
        }
        tx.binding = null;
        try {
            b.ended(committed);
        } catch (RuntimeException e) {
            tx.engine.report("ending the binding of transaction " + tx.id + " to the other transaction manager"
                    + " (the outcome stands)", e);
        }
    }

    /** Runs the other manager's before-commit work; returns its failure, which must roll back instead of committing. */
    static TxkitException beforeCommit(PhysicalTx tx) {
        TransactionBridge.Binding b = tx.binding;
        if (b == null) {
            return null;
        }
        try {
            b.beforeCommit();
            return null;
        } catch (TxkitException e) {
            return e;
        } catch (RuntimeException e) {
            return new TxkitException(ErrorCode.ROLLBACK_ONLY, "transaction " + tx.id + " was rolled back instead of"
                    + " committed: before-commit work of the other transaction manager failed", e);
        }
    }

    /** What the other manager sees of a bound txkit transaction. */
    private static final class Bound implements TransactionBridge.BoundTransaction {
        private final PhysicalTx tx;

        Bound(PhysicalTx tx) {
            this.tx = tx;
        }

        @Override
        public Connection connection() {
            return tx.borrowedView();
        }

        @Override
        public TxOptions options() {
            return tx.options;
        }

        @Override
        public void setRollbackOnly(String reason) {
            tx.markRollbackOnly(new TxkitException(ErrorCode.ROLLBACK_ONLY, reason));
        }

        @Override
        public String toString() {
            return tx.toString();
        }
    }
}
