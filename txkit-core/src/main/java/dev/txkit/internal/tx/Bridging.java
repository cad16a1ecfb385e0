package dev.txkit.internal.tx;

import dev.txkit.ErrorCode;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
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
    /** A foreign transaction without a deadline: the longest timeout txkit accepts (never fires in practice). */
    private static final Duration NO_DEADLINE = dev.txkit.TxOptions.MAX_DURATION;

    private Bridging() {
    }

    /**
     * The transaction txkit should treat as the scope's: {@code own} unless the bridge says the other
     * manager has put one of its own in its place, or there is none and the other manager has one.
     */
    static PhysicalTx ambient(TxRuntime rt, TransactionBridge bridge, PhysicalTx own) {
        TransactionBridge.Binding binding = own == null ? null : own.outcome.binding;
        if (own != null && (binding == null || !binding.suspended())) {
            return own;
        }
        TransactionBridge.ForeignTransaction foreign = bridge.current(rt.dataSource());
        if (foreign == null) {
            return own;
        }
        Object state = foreign.attachment();
        if (state instanceof PhysicalTx && ((PhysicalTx) state).isOpen()) {
            return (PhysicalTx) state;
        }
        PhysicalTx adopted = adopt(rt, foreign);
        foreign.attach(adopted, adopted.outcome::foreignEnded);
        return adopted;
    }

    private static PhysicalTx adopt(TxRuntime rt, TransactionBridge.ForeignTransaction foreign) {
        Duration left = foreign.remaining();
        TxOptions options = TxOptions.defaults()
                .withIsolation(foreign.isolation())
                .withReadOnly(foreign.readOnly())
                .withTimeout(left == null || left.compareTo(NO_DEADLINE) > 0 ? NO_DEADLINE
                        : left.isNegative() || left.isZero() ? Duration.ofNanos(1) : left)
                .withRetry(RetryPolicy.none()); // the other manager owns the boundary: txkit cannot re-run its work
        PhysicalTx tx = new PhysicalTx(rt, options, TxAttempt.single(options), foreign.connection(), null, false);
        tx.outcome.foreign = foreign;
        rt.registry().register(tx);
        return tx;
    }

    /** Lets the other manager's code join {@code tx}, which has just begun; undone by {@link #unbind}. */
    static void bind(TxRuntime rt, PhysicalTx tx) {
        TransactionBridge bridge = rt.settings().bridge;
        if (bridge != null) {
            tx.outcome.binding = bridge.bind(rt.dataSource(), new Bound(tx));
        }
    }

    /** Tells the binding that {@code tx} ended; once, and only on the thread that began it. */
    static void unbind(TxOutcome tx, boolean committed) {
        TransactionBridge.Binding b = tx.binding;
        if (b == null || Thread.currentThread() != tx.tx.owner()) {
            return;
        }
        tx.binding = null;
        try {
            b.ended(committed);
        } catch (RuntimeException e) {
            tx.rt.listeners().report("ending the binding of transaction " + tx.tx.id() + " to the other transaction"
                    + " manager (the outcome stands)", e);
        }
    }

    /** Runs the other manager's before-commit work; returns its failure, which must roll back instead of committing. */
    static TxkitException beforeCommit(TxOutcome tx) {
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
            return TxkitException.of(ErrorCode.ROLLBACK_ONLY, "transaction " + tx.tx.id() + " was rolled back instead of"
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
            tx.markRollbackOnly(TxkitException.of(ErrorCode.ROLLBACK_ONLY, reason));
        }

        @Override
        public String toString() {
            return tx.toString();
        }
    }
}
