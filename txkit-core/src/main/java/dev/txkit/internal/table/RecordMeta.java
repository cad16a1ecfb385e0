package dev.txkit.internal.table;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;
import dev.txkit.dialect.Dialect;
import dev.txkit.internal.jdbc.Values;
import dev.txkit.table.Column;
import dev.txkit.table.Id;
import dev.txkit.table.TableName;
import dev.txkit.table.Version;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What txkit knows about one record type used as a table row: table and column names, the id and
 * version components, how to take a record apart and build one. Validated once per class (a
 * {@link ClassValue}); a bad definition is never cached, so every use reports it. Immutable and
 * thread-safe.
 */
final class RecordMeta<T> {
    private static final Set<Class<?>> SUPPORTED = Set.of(String.class, Long.class, long.class, Integer.class,
            int.class, Short.class, short.class, Double.class, double.class, Float.class, float.class,
            BigDecimal.class, BigInteger.class, Boolean.class, boolean.class, Instant.class, LocalDate.class,
            LocalDateTime.class, LocalTime.class, OffsetDateTime.class, UUID.class, byte[].class);
    private static final Set<Class<?>> VERSION_TYPES = Set.of(int.class, long.class, Integer.class, Long.class);
    private static final Set<Class<?>> NUMERIC = Set.of(Long.class, Integer.class, Short.class, Double.class,
            Float.class, BigDecimal.class, BigInteger.class);

    private static final ClassValue<RecordMeta<?>> CACHE = new ClassValue<>() {
        @Override
        protected RecordMeta<?> computeValue(Class<?> type) {
            return new RecordMeta<>(type);
        }
    };

    /** One record component and its column. */
    static final class Col {
        final int index;
        final String component;
        final String column;
        final Class<?> type;
        final Method accessor;

        Col(int index, String component, String column, Class<?> type, Method accessor) {
            this.index = index;
            this.component = component;
            this.column = column;
            this.type = type;
            this.accessor = accessor;
        }

        boolean numeric() {
            return NUMERIC.contains(Values.box(type));
        }
    }

    final Class<T> type;
    final String name;
    final String table;
    final Col[] cols;
    final int idIndex;
    final int versionIndex;
    private final Constructor<T> ctor;
    private final Map<String, Col> byName = new HashMap<>();
    private final Map<Dialect, SqlText> sql = new ConcurrentHashMap<>();

    @SuppressWarnings("unchecked")
    static <T> RecordMeta<T> of(Class<T> type) {
        if (type == null) {
            throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "record type must not be null");
        }
        return (RecordMeta<T>) CACHE.get(type);
    }

    private RecordMeta(Class<T> type) {
        this.type = type;
        this.name = type.getSimpleName();
        if (!type.isRecord()) {
            throw invalid(type.getName() + " is not a record; tables map Java records (record "
                    + name + "(@Id long id, ...))");
        }
        TableName tn = type.getAnnotation(TableName.class);
        this.table = tn != null ? Names.require(tn.value(), "@TableName of record " + name)
                : Names.require(Names.snake(name), "the table name derived from record " + name);
        RecordComponent[] rc = type.getRecordComponents();
        if (rc.length == 0) {
            throw invalid("record " + name + " has no components");
        }
        this.cols = new Col[rc.length];
        Class<?>[] types = new Class<?>[rc.length];
        int id = -1;
        int version = -1;
        Map<String, String> columnOwner = new HashMap<>();
        for (int i = 0; i < rc.length; i++) {
            RecordComponent c = rc[i];
            types[i] = c.getType();
            String where = "component '" + c.getName() + "' of record " + name;
            if (!SUPPORTED.contains(c.getType()) && !c.getType().isEnum()) {
                throw invalid(where + " has unsupported type " + c.getType().getName() + "; use String, a number,"
                        + " Boolean, a java.time type, UUID, byte[] or an enum (one column per component)");
            }
            Column col = c.getAnnotation(Column.class);
            String column = col != null ? Names.require(col.value(), "@Column of " + where)
                    : Names.require(Names.snake(c.getName()), "the column name derived from " + where);
            String previous = columnOwner.putIfAbsent(column.toLowerCase(java.util.Locale.ROOT), c.getName());
            if (previous != null) {
                throw invalid(where + " maps to column " + column + ", which component '" + previous
                        + "' already uses");
            }
            if (c.isAnnotationPresent(Id.class)) {
                if (id >= 0) {
                    throw invalid("record " + name + " has two @Id components ('" + rc[id].getName() + "' and '"
                            + c.getName() + "'); composite keys are not supported");
                }
                id = i;
            }
            if (c.isAnnotationPresent(Version.class)) {
                if (version >= 0) {
                    throw invalid("record " + name + " has two @Version components ('" + rc[version].getName()
                            + "' and '" + c.getName() + "'); keep one");
                }
                if (!VERSION_TYPES.contains(c.getType())) {
                    throw invalid("@Version " + where + " has type " + c.getType().getName()
                            + "; a version must be int, long, Integer or Long");
                }
                version = i;
            }
            Method accessor = c.getAccessor();
            accessor.setAccessible(true);
            cols[i] = new Col(i, c.getName(), column, c.getType(), accessor);
            byName.put(c.getName(), cols[i]);
        }
        if (id < 0) {
            throw invalid("record " + name + " has no @Id component; mark its primary key, e.g. record " + name
                    + "(@Id Long id, ...)");
        }
        if (id == version) {
            throw invalid("component '" + rc[id].getName() + "' of record " + name + " is both @Id and @Version");
        }
        for (Col c : cols) {
            byName.putIfAbsent(c.column.toLowerCase(java.util.Locale.ROOT), c);
        }
        this.idIndex = id;
        this.versionIndex = version;
        this.ctor = canonical(type, types);
    }

    private Constructor<T> canonical(Class<T> type, Class<?>[] types) {
        try {
            Constructor<T> c = type.getDeclaredConstructor(types);
            c.setAccessible(true);
            return c;
        } catch (NoSuchMethodException | RuntimeException e) {
            throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "record " + name
                    + " has no accessible canonical constructor", e);
        }
    }

    static TxkitException invalid(String message) {
        return TxkitException.of(ErrorCode.INVALID_ARGUMENT, message);
    }

    Col id() {
        return cols[idIndex];
    }

    Col version() {
        return versionIndex < 0 ? null : cols[versionIndex];
    }

    SqlText sql(Dialect dialect) {
        return sql.computeIfAbsent(dialect, d -> new SqlText(this, d));
    }

    /** The column named {@code name} (component or column name); INVALID_ARGUMENT listing the known ones. */
    Col column(String name) {
        Col c = name == null ? null : byName.get(name);
        if (c == null && name != null) {
            c = byName.get(name.toLowerCase(java.util.Locale.ROOT));
        }
        if (c == null) {
            StringBuilder known = new StringBuilder();
            for (Col k : cols) {
                known.append(known.length() == 0 ? "" : ", ").append(k.component);
            }
            throw invalid("record " + this.name + " has no column " + Names.printable(name) + "; its columns are: "
                    + known);
        }
        return c;
    }

    /** The record's component values, in order. */
    Object[] values(T record) {
        if (record == null) {
            throw invalid("the " + name + " record must not be null");
        }
        Object[] v = new Object[cols.length];
        for (Col c : cols) {
            try {
                v[c.index] = c.accessor.invoke(record);
            } catch (InvocationTargetException e) {
                throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "accessor " + c.component + "() of record " + name
                        + " failed", e.getCause());
            } catch (IllegalAccessException e) {
                throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "cannot read component " + c.component
                        + " of record " + name, e);
            }
        }
        return v;
    }

    /** A record from component values. */
    T build(Object[] values) {
        try {
            return ctor.newInstance(values);
        } catch (InvocationTargetException e) {
            throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "record " + name + " rejected its values: "
                    + e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "cannot construct record " + name, e);
        }
    }

    /** Reads the current row, whose columns are this record's in order (from {@link SqlText#select}). */
    T read(ResultSet rs) throws SQLException {
        Object[] v = new Object[cols.length];
        for (Col c : cols) {
            v[c.index] = Values.convert(rs.getObject(c.index + 1), c.type, c.column);
        }
        return build(v);
    }

    /** {@code id} as the id component's type; INVALID_ARGUMENT for null or another type. */
    Object id(Object id) {
        if (id == null) {
            throw invalid("the id of " + name + " must not be null");
        }
        return value(id(), id, "the id of " + name);
    }

    /**
     * Checks that {@code value} fits column {@code c} and returns it (numbers converted to the column's
     * type where that loses nothing). {@code what} names it in the error.
     */
    Object value(Col c, Object value, String what) {
        if (value == null) {
            return null;
        }
        Class<?> t = Values.box(c.type);
        if (t.isInstance(value)) {
            return value;
        }
        if (value instanceof Number && c.numeric()) {
            return isIntegral(t) ? whole((Number) value, t, what) : value;
        }
        throw invalid(what + " must be a " + t.getSimpleName() + (c.numeric() ? " (or another number)" : "")
                + ", got a " + value.getClass().getSimpleName());
    }

    private static boolean isIntegral(Class<?> t) {
        return t == Long.class || t == Integer.class || t == Short.class;
    }

    /** A number for an integral column: must be whole and fit, so nothing is silently rounded. */
    private static Object whole(Number n, Class<?> t, String what) {
        long l;
        try {
            l = new BigDecimal(n.toString()).longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw invalid(what + " must be a whole number that fits a " + t.getSimpleName());
        }
        if (t == Integer.class && (int) l != l || t == Short.class && (short) l != l) {
            throw invalid(what + " does not fit a " + t.getSimpleName());
        }
        return t == Long.class ? (Object) l : t == Integer.class ? (Object) (int) l : (Object) (short) l;
    }
}
