package dev.txkit.internal.table;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;
import dev.txkit.dialect.Dialect;
import dev.txkit.dialect.MariaDbDialect;
import dev.txkit.internal.jdbc.StatementExecutor;
import dev.txkit.internal.jdbc.Values;
import dev.txkit.internal.tx.PhysicalTx;
import dev.txkit.table.ModifierWithRows;
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

/**
 * The {@link Table} implementation. Bound either to one transaction ({@code tx.table}) or to the
 * Database's ambient router ({@code db.table}: the scope's transaction, else autocommit). Immutable.
 */
public final class TableImpl<T> implements Table<T> {
    final RecordMeta<T> meta;
    final Binding binding;

    TableImpl(RecordMeta<T> meta, Binding binding) {
        this.meta = meta;
        this.binding = binding;
    }

    TableImpl<T> boundTo(PhysicalTx tx) {
        return tx == binding.tx ? this : new TableImpl<>(meta, new Binding(binding.tables, tx));
    }

    StatementExecutor executor() {
        return binding.executor();
    }

    Dialect dialect() {
        return binding.dialect();
    }

    SqlText sql() {
        return meta.sql(dialect());
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

    T insertValues(Object[] v) {
        startVersion(v);
        SqlText s = sql();
        Dialect d = dialect();
        if (v[meta.idIndex] == null) {
            RecordMeta.Col id = meta.id();
            Object key = Jdbc.insertReturningKey(executor(), d, s.insertWithoutId, params(v, s.allBut(meta.idIndex)),
                    s.idAsStored);
            if (key == null) {
                throw TxkitException.of(ErrorCode.SQL_ERROR, "the database returned no generated key for "
                        + meta.name + "." + id.component + "; make " + id.column + " an identity/auto-increment"
                        + " column or give the record an id");
            }
            v[meta.idIndex] = Values.convert(key, id.type, id.column);
        } else if (d instanceof MariaDbDialect && isZero(v[meta.idIndex])) {
            // MariaDB generates a new AUTO_INCREMENT id for an explicit 0 (a primitive @Id left at its
            // default): read that id back, or the returned record would name a row that does not exist
            Object key = Jdbc.insertReturningKey(executor(), d, s.insert, Arrays.asList(v), s.idAsStored);
            if (key instanceof Number && ((Number) key).longValue() != 0) {
                v[meta.idIndex] = Values.convert(key, meta.id().type, meta.id().column);
            }
        } else {
            Jdbc.update(executor(), d, s.insert, Arrays.asList(v));
        }
        return meta.build(v);
    }

    private static boolean isZero(Object id) {
        return id instanceof Number && !(id instanceof java.math.BigDecimal) && ((Number) id).longValue() == 0;
    }

    /** A new row's version: as given, or 1 when null or 0 (documented on {@link dev.txkit.table.Version}). */
    void startVersion(Object[] v) {
        if (meta.versionIndex >= 0) {
            Object version = v[meta.versionIndex];
            if (version == null || ((Number) version).longValue() == 0) {
                v[meta.versionIndex] = versionValue(1);
            }
        }
    }

    Object versionValue(long value) {
        Class<?> t = Values.box(meta.version().type);
        return t == Integer.class ? (Object) Math.toIntExact(value) : (Object) value;
    }

    static List<Object> params(Object[] v, List<Integer> indexes) {
        List<Object> out = new ArrayList<>(indexes.size());
        for (int i : indexes) {
            out.add(v[i]);
        }
        return out;
    }

    @Override
    public int insertAll(Collection<? extends T> records) {
        return Inserts.insertAll(this, records);
    }

    @Override
    public <C> WithChildren<T, C> insertWithChildren(T parent, Table<C> childTable, Collection<? extends C> children,
                                                     BiFunction<? super C, ? super T, ? extends C> link) {
        return Inserts.withChildren(this, parent, childTable, children, link);
    }

    // ---- read --------------------------------------------------------------------------------

    @Override
    public Optional<T> find(Object id) {
        Object key = meta.id(id);
        String lock = binding.escalated() ? dialect().lockClause(RowLock.WAIT) : "";
        return one(sql().byId + lock, key);
    }

    Optional<T> one(String sql, Object key) {
        List<T> rows = Jdbc.query(executor(), dialect(), sql, List.of(key), meta::read, 1);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    @Override
    public T get(Object id) {
        return find(id).orElseThrow(() -> notFound(""));
    }

    TxkitException notFound(String more) {
        return TxkitException.of(ErrorCode.NOT_FOUND, "no " + meta.name + " row with this id in table " + meta.table
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
        binding.requireTransaction("getForUpdate");
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
        boolean lock = binding.scope() != null && dialect().supportsRowLocks();
        String read = sql().byId + (lock ? dialect().lockClause(RowLock.WAIT) : "");
        Optional<T> current = one(binding.tables.runtime().snapshotIsolation.currentRead(dialect(), read), v[meta.idIndex]);
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
        String update = meta.versionIndex < 0 ? s.update : binding.tables.runtime().snapshotIsolation.currentRead(dialect(), s.update);
        int n = Jdbc.update(executor(), dialect(), update, params);
        return n > 0 ? meta.build(next) : null;
    }

    private TxkitException conflict(Object expectedVersion) {
        return TxkitException.of(ErrorCode.OPTIMISTIC_CONFLICT, meta.name + " was modified by another user: the"
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
        return binding.inTransaction(meta.name, tx -> {
            TableImpl<T> t = boundTo(tx);
            Jdbc.update(tx, t.dialect(), sql, Arrays.asList(v));
            return t.one(t.sql().byId, v[meta.idIndex]).orElseThrow(() -> t.notFound(" after the upsert"));
        });
    }

    @Override
    public <C, X extends Exception> T modify(Object id, Table<C> rows, ModifierWithRows<T, C, X> change) throws X {
        return Modify.run(this, id, rows, change);
    }

    @Override
    public String toString() {
        return "Table[" + meta.table + " of " + meta.type.getName() + (binding.tx != null ? ", in " + binding.tx : "") + "]";
    }
}
