package dev.txkit.internal.table;

import dev.txkit.ErrorCode;
import dev.txkit.Propagation;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.dialect.Dialect;
import dev.txkit.internal.tx.PhysicalTx;
import dev.txkit.internal.tx.Transactions;
import dev.txkit.internal.contention.CombinedOp;
import dev.txkit.table.ModifierWithRows;
import dev.txkit.table.RowLock;
import dev.txkit.table.Table;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code Table.modify}: inline in the scope's transaction, or combined with the concurrent calls on the
 * same row of this JVM (see {@link dev.txkit.internal.contention.Combiner}). A batch is one transaction:
 * one locking read, the changes applied in order, one UPDATE (version raised by the number of accepted
 * changes), the added rows as one JDBC batch, one COMMIT.
 */
final class Modify {
    /** Most changes applied under one lock hold: bounds how long a batch keeps the row locked. */
    static final int BATCH_CAP = 128;
    /** Failures that one change's data can cause: the batch is retried change by change to isolate them. */
    private static boolean isolates(ErrorCode code) {
        return code == ErrorCode.UNIQUE_VIOLATION || code == ErrorCode.CONSTRAINT_VIOLATION
                || code == ErrorCode.SQL_ERROR || code == ErrorCode.INVALID_ARGUMENT;
    }

    private Modify() {
    }

    /** The lane of one row: table type and id value. */
    private record RowKey(Class<?> type, Object id) {
    }

    /**
     * One caller's change, with its own rows table (callers combined into one batch may name different
     * tables, or none) and what its last run produced.
     */
    private static final class ModifyOp<T, C> extends CombinedOp {
        final ModifierWithRows<T, C, ?> change;
        final TableImpl<C> rowTable;
        T result;
        Throwable rejected;
        List<C> rows;

        ModifyOp(ModifierWithRows<T, C, ?> change, TableImpl<C> rowTable) {
            this.change = change;
            this.rowTable = rowTable;
        }

        /** Runs the change on {@code current}; its added rows are kept in {@link #rows}, if it has a table. */
        T apply(T current) throws Exception {
            if (rowTable == null) {
                rows = null;
                return change.apply(current, r -> invalidRow());
            }
            rows = new ArrayList<>(1);
            return change.apply(current, r -> rows.add(checkedRow(r)));
        }
    }

    static <C> TableImpl<C> sameDatabase(TableImpl<?> table, Table<C> rows) {
        if (!(rows instanceof TableImpl) || ((TableImpl<C>) rows).binding.tables != table.binding.tables) {
            throw RecordMeta.invalid("the rows table must come from the same Database's db.table(...) or tx.table(...)");
        }
        return (TableImpl<C>) rows;
    }

    @SuppressWarnings("unchecked")
    static <T, C, X extends Exception> T run(TableImpl<T> table, Object id, Table<C> rowTable,
                                             ModifierWithRows<T, C, X> change) throws X {
        if (change == null) {
            throw RecordMeta.invalid("the change must not be null");
        }
        TableImpl<C> rows = rowTable == null ? null : sameDatabase(table, rowTable);
        Object key = table.meta.id(id);
        ModifyOp<T, C> op = new ModifyOp<>(change, rows);
        PhysicalTx scope = table.binding.scopeForMultiStatement(table.meta.name);
        if (scope != null) {
            apply(table.boundTo(scope), key, List.of(op)); // inline: sees and commits with the caller's work
        } else {
            Transactions engine = table.binding.tables.transactions;
            RowKey lane = new RowKey(table.meta.type, key);
            // The batch may be led by another caller: each op carries its own rows table (issue 9).
            table.binding.tables.contention.combiner.submit(lane, op, BATCH_CAP, batch -> runBatch(table, lane, batch));
            if (op.failure() != null) {
                throw Modify.<X>sneaky(op.failure());
            }
            return (T) op.value();
        }
        if (op.rejected != null) {
            throw Modify.<X>sneaky(op.rejected);
        }
        return op.result;
    }

    private static <T> void runBatch(TableImpl<T> table, RowKey lane, List<? extends ModifyOp<T, ?>> ops) {
        Transactions engine = table.binding.tables.transactions;
        TxOptions options = engine.runtime().settings().defaults.withPropagation(Propagation.REQUIRED).withContentionKey(lane);
        long start = System.nanoTime();
        try {
            engine.inTransaction(options, tx -> {
                apply(table.boundTo((PhysicalTx) tx), lane.id(), ops);
                return null;
            });
        } catch (TxkitException e) {
            if (ops.size() > 1 && e.code() != ErrorCode.COMMIT_UNKNOWN) {
                if (Thread.currentThread().isInterrupted()) {
                    // the leader is being stopped: only its own change fails; the others go to the next leader
                    ops.get(0).fail(e);
                    ops.subList(1, ops.size()).forEach(CombinedOp::retryLater);
                    return;
                }
                if (isolates(e.code())) {
                    ops.forEach(CombinedOp::retryAlone);
                    return;
                }
            }
            ops.forEach(op -> op.fail(e)); // one transaction, one outcome: the same error for every caller
            return;
        }
        int accepted = 0;
        for (ModifyOp<T, ?> op : ops) {
            if (op.rejected != null) {
                op.fail(op.rejected);
            } else {
                op.complete(op.result);
                accepted++;
            }
        }
        int n = accepted;
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        if (!engine.runtime().listeners().isEmpty()) {
            engine.runtime().listeners().emit(l -> l.combined(table.meta.table, n, took));
        }
    }

    /** One run of the batch in {@code t}'s transaction; every change's outcome is left in its op. */
    private static <T> void apply(TableImpl<T> t, Object key, List<? extends ModifyOp<T, ?>> ops) {
        RecordMeta<T> meta = t.meta;
        Dialect d = t.dialect();
        SqlText s = t.sql();
        String lock = d.supportsRowLocks() ? d.lockClause(RowLock.WAIT) : ""; // SQLite: the write lock is database-wide
        T current = t.one(s.byId + lock, key).orElseThrow(() -> t.notFound(""));
        Object[] read = meta.values(current);
        long version = meta.versionIndex >= 0 ? ((Number) read[meta.versionIndex]).longValue() : 0;
        Object[] last = read;
        // Added rows by record type (one JDBC batch each, in the changes' order); its table from any op naming it.
        Map<RecordMeta<?>, List<Object>> added = new LinkedHashMap<>();
        Map<RecordMeta<?>, TableImpl<?>> rowTables = new LinkedHashMap<>();
        int accepted = 0;
        for (ModifyOp<T, ?> op : ops) {
            op.rejected = null; // a retried batch runs every change again, from the row it reads now
            op.result = null;
            Object[] next;
            try {
                next = checkedChange(meta, op.apply(current), read);
            } catch (Throwable rejection) {
                op.rejected = rejection;
                continue;
            }
            accepted++;
            if (meta.versionIndex >= 0) {
                next[meta.versionIndex] = t.versionValue(version + accepted);
            }
            current = meta.build(next);
            last = next;
            op.result = current;
            if (op.rows != null && !op.rows.isEmpty()) {
                rowTables.putIfAbsent(op.rowTable.meta, op.rowTable);
                added.computeIfAbsent(op.rowTable.meta, k -> new ArrayList<>()).addAll(op.rows);
            }
        }
        if (accepted == 0) {
            return; // every change was rejected: nothing to write
        }
        write(t, last, read);
        added.forEach((rowMeta, rows) -> insertRows(rowTables.get(rowMeta).boundTo(t.binding.tx), rows));
    }

    private static <T> Object[] checkedChange(RecordMeta<T> meta, T changed, Object[] read) {
        if (changed == null) {
            throw RecordMeta.invalid("the change of " + meta.name + " returned null; return the row as it should be");
        }
        Object[] next = meta.values(changed);
        if (!Objects.equals(next[meta.idIndex], read[meta.idIndex])) {
            throw RecordMeta.invalid("the change of " + meta.name + " changed the id; modify keeps the row's id");
        }
        return next;
    }

    private static <C> C checkedRow(C row) {
        if (row == null) {
            throw RecordMeta.invalid("a row added by a modify change is null");
        }
        return row;
    }

    private static Void invalidRow() {
        throw RecordMeta.invalid("this modify has no rows table; use modify(id, rows, change) to add rows");
    }

    /** The one UPDATE of a batch; the row is locked, so the version check (when there is one) must hold. */
    private static <T> void write(TableImpl<T> t, Object[] next, Object[] read) {
        RecordMeta<T> meta = t.meta;
        SqlText s = t.sql();
        List<Object> params = new ArrayList<>(next.length + 1);
        for (int i : s.allBut(meta.idIndex)) {
            params.add(next[i]);
        }
        params.add(read[meta.idIndex]);
        if (meta.versionIndex >= 0) {
            params.add(read[meta.versionIndex]);
        }
        if (Jdbc.update(t.executor(), t.dialect(), s.update, params) != 1) {
            // only possible without row locks (SQLite) if another process wrote in between: run it again
            throw TxkitException.of(ErrorCode.CONFLICT, meta.name + " changed between the read and the write of a"
                    + " combined modify in table " + meta.table + "; nothing was written");
        }
    }

    private static <C> void insertRows(TableImpl<C> rows, List<?> added) {
        RecordMeta<C> meta = rows.meta;
        SqlText s = rows.sql();
        List<List<Object>> withId = new ArrayList<>();
        List<List<Object>> withoutId = new ArrayList<>();
        for (Object row : added) {
            C r = meta.type.cast(row); // added through a Consumer typed for this table
            Object[] v = meta.values(r);
            rows.startVersion(v);
            if (v[meta.idIndex] == null) {
                withoutId.add(TableImpl.params(v, s.allBut(meta.idIndex)));
            } else {
                withId.add(Arrays.asList(v));
            }
        }
        Jdbc.batch(rows.executor(), rows.dialect(), s.insert, withId);
        Jdbc.batch(rows.executor(), rows.dialect(), s.insertWithoutId, withoutId);
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
        throw (E) t; // the change's own exception, unchanged: its caller declared it as X
    }
}
