package dev.txkit.internal.table;

import dev.txkit.ErrorCode;
import dev.txkit.Propagation;
import dev.txkit.Savepoint;
import dev.txkit.TxkitException;
import dev.txkit.dialect.Dialect;
import dev.txkit.internal.Engine;
import dev.txkit.internal.PhysicalTx;
import dev.txkit.internal.StatementExecutor;
import dev.txkit.internal.Values;
import dev.txkit.table.Op;
import dev.txkit.table.Query;
import dev.txkit.table.RowLock;
import dev.txkit.table.Table;
import dev.txkit.table.UpdateResult;
import dev.txkit.table.WithChildren;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The {@link Table} implementation. Bound either to one transaction ({@code tx.table}) or to the
 * Database's ambient router ({@code db.table}: the scope's transaction, else autocommit). Immutable.
 */
public final class TableImpl<T> implements Table<T> {
    final RecordMeta<T> meta;
    final Engine engine;
    /** The transaction this table is bound to, or {@code null} for the ambient scope. */
    final PhysicalTx tx;

    private TableImpl(RecordMeta<T> meta, Engine engine, PhysicalTx tx) {
        this.meta = meta;
        this.engine = engine;
        this.tx = tx;
    }

    /** A table of {@code type}; {@code tx} {@code null} means "the scope's transaction, else autocommit". */
    public static <T> Table<T> of(Engine engine, PhysicalTx tx, Class<T> type) {
        return new TableImpl<>(RecordMeta.of(type), engine, tx);
    }

    TableImpl<T> boundTo(PhysicalTx other) {
        return other == tx ? this : new TableImpl<>(meta, engine, other);
    }

    StatementExecutor executor() {
        return tx != null ? tx : engine.router();
    }

    Dialect dialect() {
        return engine.dialect();
    }

    SqlText sql() {
        return meta.sql(dialect());
    }

    /** The transaction statements would run in right now, or {@code null} (autocommit). */
    PhysicalTx scope() {
        return tx != null ? tx : engine.current();
    }

    /** The scope's transaction for work that needs one; MISUSE in autocommit. */
    void requireTransaction(String what) {
        if (scope() == null) {
            throw new TxkitException(ErrorCode.MISUSE, what + " outside a transaction would lock nothing: the lock"
                    + " ends with the statement. Call it inside db.inTransaction(...) / db.begin()");
        }
    }

    /**
     * Runs {@code work} all or nothing: in a new transaction when there is none, else under a savepoint
     * of the current one, so a failure undoes exactly this work and leaves the caller's transaction usable.
     */
    <R> R atomically(Function<TableImpl<T>, R> work) {
        PhysicalTx current = scopeForMultiStatement();
        if (current == null) {
            return engine.inTransaction(engine.settings.defaults.withPropagation(Propagation.REQUIRED),
                    t -> work.apply(boundTo((PhysicalTx) t)));
        }
        Savepoint sp = current.savepoint();
        R result;
        try {
            result = work.apply(boundTo(current));
        } catch (RuntimeException | Error e) {
            if (current.isActive()) {
                try {
                    current.rollbackTo(sp);
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            throw e;
        }
        current.release(sp);
        return result;
    }

    /** Like {@link #atomically} without the savepoint: enough for one write plus a read-back. */
    <R> R inTransaction(Function<TableImpl<T>, R> work) {
        PhysicalTx current = scopeForMultiStatement();
        if (current == null) {
            return engine.inTransaction(engine.settings.defaults.withPropagation(Propagation.REQUIRED),
                    t -> work.apply(boundTo((PhysicalTx) t)));
        }
        return work.apply(boundTo(current));
    }

    private PhysicalTx scopeForMultiStatement() {
        if (tx != null) {
            return tx;
        }
        PhysicalTx current = engine.current();
        if (current != null && engine.settings.strict) {
            throw new TxkitException(ErrorCode.MISUSE, "db.table(" + meta.name + ") was used inside " + current
                    + " while strict mode is on; use tx.table(" + meta.name + ".class) instead");
        }
        return current;
    }

    @Override
    public Class<T> type() {
        return meta.type;
    }

    @Override
    public String name() {
        return meta.table;
    }

    // ---- insert ------------------------------------------------------------------------------

    @Override
    public T insert(T record) {
        Object[] v = meta.values(record);
        return insertValues(v);
    }

    private T insertValues(Object[] v) {
        startVersion(v);
        SqlText s = sql();
        Dialect d = dialect();
        if (v[meta.idIndex] == null) {
            RecordMeta.Col id = meta.id();
            Object key = Jdbc.insertReturningKey(executor(), d, s.insertWithoutId, params(v, s.allBut(meta.idIndex)),
                    s.idAsStored);
            if (key == null) {
                throw new TxkitException(ErrorCode.SQL_ERROR, "the database returned no generated key for "
                        + meta.name + "." + id.component + "; make " + id.column + " an identity/auto-increment"
                        + " column or give the record an id");
            }
            v[meta.idIndex] = Values.convert(key, id.type, id.column);
        } else {
            Jdbc.update(executor(), d, s.insert, Arrays.asList(v));
        }
        return meta.build(v);
    }

    /** A new row's version: as given, or 1 when null or 0 (documented on {@link dev.txkit.table.Version}). */
    private void startVersion(Object[] v) {
        if (meta.versionIndex >= 0) {
            Object version = v[meta.versionIndex];
            if (version == null || ((Number) version).longValue() == 0) {
                v[meta.versionIndex] = versionValue(1);
            }
        }
    }

    private Object versionValue(long value) {
        Class<?> t = RecordMeta.boxed(meta.version().type);
        return t == Integer.class ? (Object) Math.toIntExact(value) : (Object) value;
    }

    private static List<Object> params(Object[] v, List<Integer> indexes) {
        List<Object> out = new ArrayList<>(indexes.size());
        for (int i : indexes) {
            out.add(v[i]);
        }
        return out;
    }

    @Override
    public int insertAll(Collection<? extends T> records) {
        if (records == null) {
            throw RecordMeta.invalid("the " + meta.name + " records must not be null");
        }
        List<List<Object>> withId = new ArrayList<>();
        List<List<Object>> withoutId = new ArrayList<>();
        int i = 0;
        SqlText s = sql();
        for (T r : records) {
            if (r == null) {
                throw RecordMeta.invalid(meta.name + " record " + i + " of " + records.size() + " is null");
            }
            Object[] v = meta.values(r);
            startVersion(v);
            if (v[meta.idIndex] == null) {
                withoutId.add(params(v, s.allBut(meta.idIndex)));
            } else {
                withId.add(Arrays.asList(v));
            }
            i++;
        }
        if (i == 0) {
            return 0;
        }
        return atomically(t -> {
            Jdbc.batch(t.executor(), t.dialect(), s.insert, withId);
            Jdbc.batch(t.executor(), t.dialect(), s.insertWithoutId, withoutId);
            return withId.size() + withoutId.size();
        });
    }

    @Override
    public <C> WithChildren<T, C> insertWithChildren(T parent, Table<C> childTable, Collection<? extends C> children,
                                                     BiFunction<? super C, ? super T, ? extends C> link) {
        Object[] pv = meta.values(parent);
        if (!(childTable instanceof TableImpl)) {
            throw RecordMeta.invalid("childTable must be a table from db.table(...) or tx.table(...), got "
                    + (childTable == null ? "null" : childTable.getClass().getName()));
        }
        if (children == null || link == null) {
            throw RecordMeta.invalid((children == null ? "children" : "link") + " must not be null");
        }
        List<C> items = new ArrayList<>(children);
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) == null) {
                throw RecordMeta.invalid("child " + i + " of " + items.size() + " is null");
            }
        }
        TableImpl<C> childImpl = (TableImpl<C>) childTable;
        if (childImpl.engine != engine) {
            throw RecordMeta.invalid("childTable " + childImpl.meta.table + " belongs to another Database;"
                    + " parent and children must be written in one transaction");
        }
        return atomically(t -> {
            T stored = t.insertValues(pv);
            TableImpl<C> ct = childImpl.boundTo(t.tx);
            List<C> out = new ArrayList<>(items.size());
            for (int i = 0; i < items.size(); i++) {
                C linked = link.apply(items.get(i), stored);
                if (linked == null) {
                    throw RecordMeta.invalid("link returned null for child " + i + " of " + items.size());
                }
                out.add(ct.insert(linked));
            }
            return new WithChildren<>(stored, out);
        });
    }

    // ---- read --------------------------------------------------------------------------------

    @Override
    public Optional<T> find(Object id) {
        Object key = meta.id(id);
        String lock = Escalation.appliesTo(scope(), dialect()) ? dialect().lockClause(RowLock.WAIT) : "";
        return one(sql().byId + lock, key);
    }

    private Optional<T> one(String sql, Object key) {
        List<T> rows = Jdbc.query(executor(), dialect(), sql, List.of(key), meta::read, 1);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    @Override
    public T get(Object id) {
        return find(id).orElseThrow(() -> notFound(""));
    }

    private TxkitException notFound(String more) {
        return new TxkitException(ErrorCode.NOT_FOUND, "no " + meta.name + " row with this id in table " + meta.table
                + more);
    }

    @Override
    public T getForUpdate(Object id) {
        return getForUpdate(id, RowLock.WAIT);
    }

    @Override
    public T getForUpdate(Object id, RowLock mode) {
        Object key = meta.id(id);
        if (mode == null) {
            throw RecordMeta.invalid("the RowLock mode must not be null");
        }
        String lock = dialect().lockClause(mode);
        requireTransaction("getForUpdate");
        return one(sql().byId + lock, key).orElseThrow(() -> notFound(mode == RowLock.SKIP_LOCKED
                ? " that is not locked by another transaction (SKIP_LOCKED)" : ""));
    }

    @Override
    public Query<T> query() {
        return QueryImpl.all(this);
    }

    @Override
    public Query<T> where(String column, Object value) {
        return query().where(column, value);
    }

    @Override
    public Query<T> where(String column, Op op, Object value) {
        return query().where(column, op, value);
    }

    @Override
    public long count() {
        return query().count();
    }

    // ---- update / delete / upsert ------------------------------------------------------------

    @Override
    public T update(T record) {
        Object[] v = meta.values(record);
        T updated = write(v);
        if (updated != null) {
            return updated;
        }
        if (meta.versionIndex >= 0 && one(sql().byId, v[meta.idIndex]).isPresent()) {
            throw conflict(v[meta.versionIndex]);
        }
        throw notFound("; it may have been deleted");
    }

    @Override
    public UpdateResult<T> tryUpdate(T record) {
        Object[] v = meta.values(record);
        T updated = write(v);
        if (updated != null) {
            return new UpdateResult.Updated<>(updated);
        }
        if (meta.versionIndex < 0) {
            return new UpdateResult.NotFound<>();
        }
        // Inside a transaction a plain read may show the snapshot (MariaDB REPEATABLE READ), which still
        // has the old version; a locking read returns the row as it is now.
        boolean lock = scope() != null && dialect().supportsRowLocks();
        Optional<T> current = one(sql().byId + (lock ? dialect().lockClause(RowLock.WAIT) : ""), v[meta.idIndex]);
        return current.<UpdateResult<T>>map(UpdateResult.Conflict::new).orElseGet(UpdateResult.NotFound::new);
    }

    /** The version-checked UPDATE; the record with its new version, or {@code null} when no row matched. */
    private T write(Object[] v) {
        if (v[meta.idIndex] == null) {
            throw RecordMeta.invalid("cannot update a " + meta.name + " whose id is null; insert it first");
        }
        SqlText s = sql();
        List<Object> params = new ArrayList<>(v.length + 1);
        Object[] next = v.clone();
        if (meta.versionIndex >= 0) {
            Object version = v[meta.versionIndex];
            if (version == null) {
                throw RecordMeta.invalid("cannot update a " + meta.name + " whose @Version " + meta.version().component
                        + " is null; update the copy you read, which carries its version");
            }
            next[meta.versionIndex] = versionValue(((Number) version).longValue() + 1);
        }
        for (int i : s.allBut(meta.idIndex)) {
            params.add(next[i]);
        }
        params.add(v[meta.idIndex]);
        if (meta.versionIndex >= 0) {
            params.add(v[meta.versionIndex]);
        }
        int n = Jdbc.update(executor(), dialect(), s.update, params);
        return n > 0 ? meta.build(next) : null;
    }

    private TxkitException conflict(Object expectedVersion) {
        return new TxkitException(ErrorCode.OPTIMISTIC_CONFLICT, meta.name + " was modified by another user: the"
                + " update expected version " + expectedVersion + " of the row in table " + meta.table
                + ", but it has moved on; nothing was written. Refresh and try again (or use db.optimistic(...)"
                + " to re-run the read-modify-write)");
    }

    @Override
    public boolean delete(Object id) {
        Object key = meta.id(id);
        return Jdbc.update(executor(), dialect(), sql().deleteById, List.of(key)) > 0;
    }

    @Override
    public T upsert(T record) {
        Object[] v = meta.values(record);
        if (v[meta.idIndex] == null) {
            throw RecordMeta.invalid("upsert needs the id of the " + meta.name + " (the key to match on); it was null");
        }
        startVersion(v);
        String sql = sql().upsert();
        return inTransaction(t -> {
            Jdbc.update(t.executor(), t.dialect(), sql, Arrays.asList(v));
            return t.one(t.sql().byId, v[meta.idIndex]).orElseThrow(() -> t.notFound(" after the upsert"));
        });
    }

    @Override
    public String toString() {
        return "Table[" + meta.table + " of " + meta.type.getName() + (tx != null ? ", in " + tx : "") + "]";
    }
}
