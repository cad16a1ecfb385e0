package dev.txkit.spi;

import dev.txkit.Isolation;
import dev.txkit.TxOptions;

import javax.sql.DataSource;
import java.sql.Connection;
import java.time.Duration;

/**
 * Connects txkit to another transaction manager that runs transactions on the same
 * {@link DataSource} (Spring's, through {@code txkit-spring-boot-starter}), so that work begun on
 * either side is one database transaction on one connection. Install one with
 * {@code Database.builder(ds).transactionBridge(bridge)}; without one nothing changes.
 *
 * <p>Two directions:
 * <ul>
 *   <li><b>The other manager is outside.</b> When txkit needs the transaction of the current scope
 *       and has none of its own, it asks {@link #current}. If the other manager has one, txkit
 *       joins it: {@code db.sql}, {@code db.table} and {@code REQUIRED} scopes run on its
 *       connection, {@code NESTED} uses a savepoint, {@code REQUIRES_NEW} begins a transaction of
 *       txkit's own. txkit never commits or rolls it back; a failed joined scope only marks it
 *       rollback-only, and the other manager reports the end through {@link ForeignTransaction#attach}.</li>
 *   <li><b>txkit is outside.</b> When txkit begins a physical transaction it calls {@link #bind}, so
 *       the other manager's code finds and joins it; the returned {@link Binding} hears about
 *       COMMIT and the end.</li>
 * </ul>
 * A txkit transaction bound this way that the other manager has suspended (for a transaction of its
 * own in the same scope) is recognised through {@link Binding#suspended()}: txkit then joins the
 * other manager's transaction instead.
 *
 * <p>Implementations must be thread-safe. Every method is called on the thread that runs the
 * scope: {@link #bind} and {@link Binding#ended} on the thread that began the transaction.
 */
public interface TransactionBridge {

    /**
     * Asked when txkit needs the current scope's transaction and has none of its own.
     *
     * @param dataSource the DataSource the txkit {@code Database} runs on
     * @return the other manager's transaction on {@code dataSource} in the current scope, or {@code null}
     */
    ForeignTransaction current(DataSource dataSource);

    /**
     * txkit has begun {@code transaction} on a connection of {@code dataSource}: make it the other
     * manager's current transaction for this scope until {@link Binding#ended} is called.
     *
     * @param dataSource the DataSource the connection came from
     * @param transaction the txkit transaction, as the other manager may use it
     * @return the binding, told about COMMIT and the end
     */
    Binding bind(DataSource dataSource, BoundTransaction transaction);

    /** A transaction of the other manager, as txkit sees it while joining it. */
    interface ForeignTransaction {
        /** {@return the connection the transaction runs on; txkit runs statements on it and never closes it} */
        Connection connection();

        /** {@return its isolation level, or {@code null} for the database default} */
        Isolation isolation();

        /** {@return whether it is read-only; txkit's work in it runs with the same flag} */
        boolean readOnly();

        /** {@return the time left until its deadline, or {@code null} when it has none} */
        Duration remaining();

        /** Makes the other manager roll back at its end instead of committing. */
        void setRollbackOnly();

        /** {@return the state txkit keeps with this transaction ({@link #attach}), or {@code null}} */
        Object attachment();

        /**
         * Keeps {@code state} with this transaction for as long as it lasts; {@code onEnd} is called
         * once, after it committed or rolled back.
         *
         * @param state what txkit keeps, returned by {@link #attachment()}
         * @param onEnd told once how the transaction ended
         */
        void attach(Object state, EndListener onEnd);
    }

    /** Told once how a transaction ended. */
    @FunctionalInterface
    interface EndListener {
        /**
         * The transaction is over.
         *
         * @param committed {@code true} if it committed, {@code false} if it rolled back
         */
        void ended(boolean committed);
    }

    /** A txkit transaction, as the other manager sees it while it is bound. */
    interface BoundTransaction {
        /**
         * A view of the transaction's connection for the other manager's code: {@code close} is a
         * no-op, {@code commit}, {@code rollback()} and {@code setAutoCommit(true)} are refused, and
         * statements run under the transaction's deadline and statement lock.
         *
         * @return the connection view
         */
        Connection connection();

        /** {@return the options the transaction runs with (isolation, read-only, timeout)} */
        TxOptions options();

        /**
         * A participant of the other manager failed: COMMIT becomes ROLLBACK_ONLY.
         *
         * @param reason what failed, for the ROLLBACK_ONLY message; no bound values
         */
        void setRollbackOnly(String reason);
    }

    /** What {@link #bind} set up; each method is called at most once. */
    interface Binding {
        /** COMMIT is next; an exception thrown here rolls the transaction back instead. */
        default void beforeCommit() {
        }

        /**
         * The transaction ended; undo what {@link #bind} did.
         *
         * @param committed {@code true} if it committed, {@code false} if it rolled back
         */
        void ended(boolean committed);

        /**
         * {@return whether the other manager has put a transaction of its own in this binding's place in
         * this scope}
         */
        default boolean suspended() {
            return false;
        }
    }
}
