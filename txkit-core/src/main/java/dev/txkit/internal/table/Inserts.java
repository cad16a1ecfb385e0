package dev.txkit.internal.table;

import dev.txkit.table.Table;
import dev.txkit.table.WithChildren;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.BiFunction;

/** The multi-row inserts of {@link TableImpl}: createMany as one JDBC batch, and nested writes. */
final class Inserts {
    private Inserts() {
    }

    static <T> int insertAll(TableImpl<T> table, Collection<? extends T> records) {
        RecordMeta<T> meta = table.meta;
        if (records == null) {
            throw RecordMeta.invalid("the " + meta.name + " records must not be null");
        }
        SqlText s = table.sql();
        List<List<Object>> withId = new ArrayList<>();
        List<List<Object>> withoutId = new ArrayList<>();
        int i = 0;
        for (T r : records) {
            if (r == null) {
                throw RecordMeta.invalid(meta.name + " record " + i + " of " + records.size() + " is null");
            }
            Object[] v = meta.values(r);
            table.startVersion(v);
            if (v[meta.idIndex] == null) {
                withoutId.add(TableImpl.params(v, s.allBut(meta.idIndex)));
            } else {
                withId.add(Arrays.asList(v));
            }
            i++;
        }
        if (i == 0) {
            return 0;
        }
        return table.binding.atomically(meta.name, tx -> {
            Jdbc.batch(tx, table.dialect(), s.insert, withId);
            Jdbc.batch(tx, table.dialect(), s.insertWithoutId, withoutId);
            return withId.size() + withoutId.size();
        });
    }

    static <P, C> WithChildren<P, C> withChildren(TableImpl<P> parents, P parent, Table<C> childTable,
                                                  Collection<? extends C> children,
                                                  BiFunction<? super C, ? super P, ? extends C> link) {
        Object[] pv = parents.meta.values(parent);
        if (!(childTable instanceof TableImpl)) {
            throw RecordMeta.invalid("childTable must be a table from db.table(...) or tx.table(...), got "
                    + (childTable == null ? "null" : childTable.getClass().getName()));
        }
        if (children == null || link == null) {
            throw RecordMeta.invalid((children == null ? "children" : "link") + " must not be null");
        }
        TableImpl<C> childImpl = (TableImpl<C>) childTable;
        if (childImpl.binding.tables != parents.binding.tables) {
            throw RecordMeta.invalid("childTable " + childImpl.meta.table + " belongs to another Database;"
                    + " parent and children must be written in one transaction");
        }
        List<C> items = new ArrayList<>(children);
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) == null) {
                throw RecordMeta.invalid("child " + i + " of " + items.size() + " is null");
            }
        }
        return parents.binding.atomically(parents.meta.name, tx -> {
            P stored = parents.boundTo(tx).insertValues(pv);
            TableImpl<C> kids = childImpl.boundTo(tx);
            List<C> out = new ArrayList<>(items.size());
            for (int i = 0; i < items.size(); i++) {
                C linked = link.apply(items.get(i), stored);
                if (linked == null) {
                    throw RecordMeta.invalid("link returned null for child " + i + " of " + items.size());
                }
                out.add(kids.insert(linked));
            }
            return new WithChildren<>(stored, out);
        });
    }
}
