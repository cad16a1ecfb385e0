package dev.txkit.internal.table;

import dev.txkit.internal.contention.ContentionControl;
import dev.txkit.internal.tx.PhysicalTx;
import dev.txkit.internal.tx.TableFactory;
import dev.txkit.internal.tx.Transactions;
import dev.txkit.internal.tx.TxRuntime;
import dev.txkit.retry.RetryPolicy;
import dev.txkit.table.Table;

/**
 * The tables of one Database: makes {@code db.table} / {@code tx.table} tables and keeps the state
 * they share per Database (which transactions lock their reads). Thread-safe.
 */
public final class Tables implements TableFactory {
    final Transactions transactions;
    final Escalation escalation = new Escalation();
    /** Adaptive admission of this Database's transactions and the lanes of {@code Table.modify} (issue 14). */
    public final ContentionControl contention = new ContentionControl(e -> runtime().listeners().emit(e));
    /** The policy {@code db.optimistic} was last called with and its widened form (one pair: a race only recomputes). */
    private volatile Widened widened;

    /** {@code transactions} may still be under construction: it is asked for its runtime only on use. */
    public Tables(Transactions transactions) {
        this.transactions = transactions;
    }

    @Override
    public <T> Table<T> table(PhysicalTx tx, Class<T> type) {
        return new TableImpl<>(RecordMeta.of(type), new Binding(this, tx));
    }

    /** {@code policy} also retrying OPTIMISTIC_CONFLICT; built once per policy a call site keeps passing. */
    RetryPolicy optimisticPolicy(RetryPolicy policy) {
        Widened last = widened;
        if (last != null && last.given == policy) {
            return last.wide;
        }
        RetryPolicy wide = Optimistic.withOptimisticConflicts(policy);
        widened = new Widened(policy, wide);
        return wide;
    }

    private record Widened(RetryPolicy given, RetryPolicy wide) {
    }

    TxRuntime runtime() {
        return transactions.runtime();
    }
}
