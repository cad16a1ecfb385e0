package dev.txkit.internal.table;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;
import dev.txkit.table.Change;
import dev.txkit.table.Op;
import dev.txkit.table.Query;
import dev.txkit.table.RowLock;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The {@link Query} implementation: an immutable list of conditions, orderings and a limit. */
final class QueryImpl<T> implements Query<T> {
    /** One condition; {@code values} is non-null for IN. */
    private static final class Cond {
        final RecordMeta.Col col;
        final Op op;
        final Object value;
        final List<Object> values;

        Cond(RecordMeta.Col col, Op op, Object value, List<Object> values) {
            this.col = col;
            this.op = op;
            this.value = value;
            this.values = values;
        }
    }

    private static final class Order {
        final RecordMeta.Col col;
        final boolean descending;

        Order(RecordMeta.Col col, boolean descending) {
            this.col = col;
            this.descending = descending;
        }
    }

    private final TableImpl<T> table;
    private final List<Cond> conds;
    private final List<Order> orders;
    private final int limit;

    private QueryImpl(TableImpl<T> table, List<Cond> conds, List<Order> orders, int limit) {
        this.table = table;
        this.conds = conds;
        this.orders = orders;
        this.limit = limit;
    }

    static <T> Query<T> all(TableImpl<T> table) {
        return new QueryImpl<>(table, List.of(), List.of(), -1);
    }

    private RecordMeta<T> meta() {
        return table.meta;
    }

    private QueryImpl<T> with(Cond c) {
        List<Cond> next = new ArrayList<>(conds);
        next.add(c);
        return new QueryImpl<>(table, Collections.unmodifiableList(next), orders, limit);
    }

    @Override
    public Query<T> where(String column, Object value) {
        return where(column, Op.EQ, value);
    }

    @Override
    public Query<T> where(String column, Op op, Object value) {
        RecordMeta.Col col = meta().column(column);
        if (op == null) {
            throw RecordMeta.invalid("the operator for column " + col.column + " must not be null");
        }
        if (value == null && op != Op.EQ && op != Op.NE) {
            throw RecordMeta.invalid("column " + col.column + " " + op.sql() + " NULL is never true; compare with a value"
                    + " or use EQ/NE for IS [NOT] NULL");
        }
        return with(new Cond(col, op, meta().value(col, value, "the value for column " + col.column), null));
    }

    @Override
    public Query<T> whereIn(String column, Collection<?> values) {
        RecordMeta.Col col = meta().column(column);
        if (values == null) {
            throw RecordMeta.invalid("the values for column " + col.column + " IN (...) must not be null");
        }
        List<Object> checked = new ArrayList<>(values.size());
        for (Object v : values) {
            if (v == null) {
                throw RecordMeta.invalid("column " + col.column + " IN (...) contains null, which never matches");
            }
            checked.add(meta().value(col, v, "a value for column " + col.column));
        }
        return with(new Cond(col, Op.EQ, null, Collections.unmodifiableList(checked)));
    }

    @Override
    public Query<T> orderBy(String column) {
        return order(column, false);
    }

    @Override
    public Query<T> orderByDesc(String column) {
        return order(column, true);
    }

    private Query<T> order(String column, boolean descending) {
        List<Order> next = new ArrayList<>(orders);
        next.add(new Order(meta().column(column), descending));
        return new QueryImpl<>(table, conds, Collections.unmodifiableList(next), limit);
    }

    @Override
    public Query<T> limit(int n) {
        if (n < 0) {
            throw RecordMeta.invalid("limit must not be negative but was " + n);
        }
        return new QueryImpl<>(table, conds, orders, n);
    }

    // ---- SQL ---------------------------------------------------------------------------------

    private void where(StringBuilder sb, List<Object> params, SqlText s) {
        for (int i = 0; i < conds.size(); i++) {
            Cond c = conds.get(i);
            String column = s.columns[c.col.index];
            sb.append(i == 0 ? " WHERE " : " AND ");
            if (c.values != null) {
                if (c.values.isEmpty()) {
                    sb.append("1 = 0");
                    continue;
                }
                sb.append(column).append(" IN (");
                for (int k = 0; k < c.values.size(); k++) {
                    sb.append(k == 0 ? "?" : ", ?");
                    params.add(c.values.get(k));
                }
                sb.append(')');
            } else if (c.value == null) {
                sb.append(column).append(c.op == Op.EQ ? " IS NULL" : " IS NOT NULL");
            } else {
                sb.append(column).append(' ').append(c.op.sql()).append(" ?");
                params.add(c.value);
            }
        }
    }

    private String select(List<Object> params, String lock) {
        SqlText s = table.sql();
        StringBuilder sb = new StringBuilder(s.select);
        where(sb, params, s);
        for (int i = 0; i < orders.size(); i++) {
            Order o = orders.get(i);
            sb.append(i == 0 ? " ORDER BY " : ", ").append(s.columns[o.col.index]).append(o.descending ? " DESC" : " ASC");
        }
        if (limit >= 0) {
            sb.append(" LIMIT ").append(limit);
        }
        return sb.append(lock).toString();
    }

    private List<T> run(String lock, int max) {
        List<Object> params = new ArrayList<>();
        String sql = select(params, lock);
        return Jdbc.query(table.executor(), table.dialect(), sql, params, meta()::read, max);
    }

    @Override
    public List<T> list() {
        return run("", Integer.MAX_VALUE);
    }

    @Override
    public Optional<T> first() {
        List<T> rows = limit < 0 ? ((QueryImpl<T>) limit(1)).run("", 1) : run("", 1);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    @Override
    public long count() {
        SqlText s = table.sql();
        StringBuilder sb = new StringBuilder("SELECT COUNT(*) FROM ").append(s.table);
        List<Object> params = new ArrayList<>();
        where(sb, params, s);
        List<Long> n = Jdbc.query(table.executor(), table.dialect(), sb.toString(), params, rs -> rs.getLong(1), 1);
        return n.get(0);
    }

    @Override
    public int updateAll(Change... changes) {
        noOrderOrLimit("updateAll");
        if (changes == null || changes.length == 0) {
            throw RecordMeta.invalid("updateAll needs at least one Change (set, increment or decrement)");
        }
        SqlText s = table.sql();
        StringBuilder sb = new StringBuilder("UPDATE ").append(s.table).append(" SET ");
        List<Object> params = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < changes.length; i++) {
            Change ch = changes[i];
            if (ch == null) {
                throw RecordMeta.invalid("change " + i + " of " + changes.length + " is null");
            }
            RecordMeta.Col col = meta().column(ch.column());
            checkChangeable(col, ch);
            if (!seen.add(col.index)) {
                throw RecordMeta.invalid("column " + col.column + " is changed twice in one updateAll");
            }
            String quoted = s.columns[col.index];
            sb.append(i == 0 ? "" : ", ").append(quoted).append(" = ");
            if (ch.kind() == Change.Kind.SET) {
                sb.append('?');
            } else {
                sb.append(quoted).append(ch.kind() == Change.Kind.INCREMENT ? " + ?" : " - ?");
            }
            params.add(meta().value(col, ch.value(), "the value of " + ch));
        }
        if (meta().versionIndex >= 0) {
            String v = s.columns[meta().versionIndex];
            sb.append(", ").append(v).append(" = ").append(v).append(" + 1");
        }
        where(sb, params, s);
        return Jdbc.update(table.executor(), table.dialect(), sb.toString(), params);
    }

    private void checkChangeable(RecordMeta.Col col, Change ch) {
        if (col.index == meta().idIndex) {
            throw RecordMeta.invalid("updateAll cannot change the @Id column " + col.column + " of " + meta().name);
        }
        if (col.index == meta().versionIndex) {
            throw RecordMeta.invalid("updateAll cannot change the @Version column " + col.column
                    + " of " + meta().name + ": txkit adds 1 to it on every update");
        }
        if (ch.kind() != Change.Kind.SET && !col.numeric()) {
            throw RecordMeta.invalid(ch.kind().name().toLowerCase(java.util.Locale.ROOT) + " needs a numeric column, but "
                    + col.column + " of " + meta().name + " is a " + col.type.getSimpleName());
        }
        if (ch.value() == null && col.type.isPrimitive()) {
            throw RecordMeta.invalid("column " + col.column + " of " + meta().name + " is a primitive "
                    + col.type.getName() + " and cannot be set to null");
        }
    }

    @Override
    public int deleteAll() {
        noOrderOrLimit("deleteAll");
        SqlText s = table.sql();
        StringBuilder sb = new StringBuilder("DELETE FROM ").append(s.table);
        List<Object> params = new ArrayList<>();
        where(sb, params, s);
        return Jdbc.update(table.executor(), table.dialect(), sb.toString(), params);
    }

    private void noOrderOrLimit(String what) {
        if (!orders.isEmpty() || limit >= 0) {
            throw RecordMeta.invalid(what + " applies to every matching row; remove orderBy/limit (not portable in"
                    + " UPDATE/DELETE), or lock the rows you want first and match them by id");
        }
    }

    @Override
    public List<T> lock(RowLock mode) {
        return run(lockClause(mode, "lock"), Integer.MAX_VALUE);
    }

    @Override
    public Optional<T> lockFirst(RowLock mode) {
        String clause = lockClause(mode, "lockFirst");
        List<T> rows = limit < 0 ? ((QueryImpl<T>) limit(1)).run(clause, 1) : run(clause, 1);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private String lockClause(RowLock mode, String what) {
        if (mode == null) {
            throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "the RowLock mode must not be null");
        }
        String clause = table.dialect().lockClause(mode);
        table.binding.requireTransaction(what);
        return clause;
    }
}
