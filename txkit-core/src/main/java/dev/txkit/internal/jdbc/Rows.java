package dev.txkit.internal.jdbc;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.Locale;

/** Maps result rows to scalars or records (columns matched to components by snake_case ↔ camelCase). */
public final class Rows {
    private Rows() {
    }

    /** Reads one row mapper for the current result set shape. */
    public interface Mapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    @SuppressWarnings("unchecked")
    public static <T> Mapper<T> mapper(Class<T> type, ResultSetMetaData meta) throws SQLException {
        if (type == null) {
            throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "result type must not be null");
        }
        if (Values.isScalar(type)) {
            String column = meta.getColumnLabel(1);
            return rs -> (T) Values.convert(rs.getObject(1), type, column);
        }
        if (!type.isRecord()) {
            throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "cannot map rows to " + type.getName()
                    + ": use a scalar type (String, Long, BigDecimal, Instant, UUID, ...) or a record");
        }
        RecordComponent[] components = type.getRecordComponents();
        int[] columns = new int[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            columns[i] = find(meta, components[i].getName());
            if (columns[i] < 0) {
                throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "record " + type.getSimpleName()
                        + " has component '" + components[i].getName() + "' but the query returns no column "
                        + snake(components[i].getName()) + " (or " + components[i].getName() + ")");
            }
        }
        Constructor<T> ctor = canonical(type, types);
        return rs -> {
            Object[] args = new Object[columns.length];
            for (int i = 0; i < columns.length; i++) {
                args[i] = Values.convert(rs.getObject(columns[i]), types[i], components[i].getName());
            }
            try {
                return ctor.newInstance(args);
            } catch (InvocationTargetException e) {
                throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "record " + type.getSimpleName()
                        + " rejected a row: " + e.getCause().getMessage(), e.getCause());
            } catch (ReflectiveOperationException e) {
                throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "cannot construct " + type.getName(), e);
            }
        };
    }

    private static <T> Constructor<T> canonical(Class<T> type, Class<?>[] types) {
        try {
            Constructor<T> c = type.getDeclaredConstructor(types);
            c.setAccessible(true);
            return c;
        } catch (NoSuchMethodException | RuntimeException e) {
            throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "record " + type.getName()
                    + " has no accessible canonical constructor", e);
        }
    }

    private static int find(ResultSetMetaData meta, String component) throws SQLException {
        String snake = snake(component);
        for (int c = 1; c <= meta.getColumnCount(); c++) {
            String label = meta.getColumnLabel(c);
            if (label.equalsIgnoreCase(snake) || label.equalsIgnoreCase(component)) {
                return c;
            }
        }
        return -1;
    }

    /** {@code createdAt} → {@code created_at}. */
    public static String snake(String camel) {
        StringBuilder sb = new StringBuilder(camel.length() + 4);
        for (int i = 0; i < camel.length(); i++) {
            char ch = camel.charAt(i);
            if (Character.isUpperCase(ch)) {
                if (i > 0 && !Character.isUpperCase(camel.charAt(i - 1))) {
                    sb.append('_');
                }
                sb.append(Character.toLowerCase(ch));
            } else {
                sb.append(ch);
            }
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }
}
