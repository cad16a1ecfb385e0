package dev.txkit.internal.jdbc;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.UUID;

/** Binds Java values to statements and converts column values to Java types, the same way on every database. */
public final class Values {
    private static final Set<Class<?>> SCALARS = Set.of(String.class, Long.class, long.class, Integer.class,
            int.class, Short.class, short.class, Double.class, double.class, Float.class, float.class,
            BigDecimal.class, BigInteger.class, Boolean.class, boolean.class, Instant.class, LocalDate.class,
            LocalDateTime.class, LocalTime.class, OffsetDateTime.class, UUID.class, byte[].class, Object.class);

    private Values() {
    }

    /** Whether {@code type} is read from a single column. */
    public static boolean isScalar(Class<?> type) {
        return SCALARS.contains(type) || type.isEnum();
    }

    /** Binds {@code value} at 1-based {@code index}; {@code uuidNative} says whether the driver takes UUID objects. */
    public static void bind(PreparedStatement ps, int index, Object value, boolean uuidNative) throws SQLException {
        if (value == null) {
            ps.setObject(index, null);
        } else if (value instanceof Instant) {
            ps.setTimestamp(index, Timestamp.from((Instant) value));
        } else if (value instanceof UUID) {
            if (uuidNative) {
                ps.setObject(index, value);
            } else {
                ps.setString(index, value.toString());
            }
        } else if (value instanceof Enum) {
            ps.setString(index, ((Enum<?>) value).name());
        } else if (value instanceof BigInteger) {
            ps.setBigDecimal(index, new BigDecimal((BigInteger) value));
        } else if (value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof byte[] || value instanceof LocalDate || value instanceof LocalDateTime
                || value instanceof LocalTime || value instanceof OffsetDateTime || value instanceof java.util.Date) {
            ps.setObject(index, value);
        } else {
            throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "argument " + index + " has unsupported type "
                    + value.getClass().getName() + "; bind a String, number, Boolean, java.time value, UUID, enum or byte[]");
        }
    }

    /** Converts a value read with {@code getObject} to {@code type}; {@code column} names it in errors. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Object convert(Object raw, Class<?> type, String column) {
        if (raw == null) {
            if (type.isPrimitive()) {
                throw TxkitException.of(ErrorCode.SQL_ERROR, "column " + column + " is NULL but maps to primitive "
                        + type.getName() + "; use the boxed type");
            }
            return null;
        }
        if (type.isInstance(raw) || type == Object.class) {
            return raw;
        }
        Class<?> t = box(type);
        if (t.isInstance(raw)) {
            return raw;
        }
        try {
            if (raw instanceof Number) {
                Number n = (Number) raw;
                if (t == Long.class) {
                    return n.longValue();
                }
                if (t == Integer.class) {
                    return Math.toIntExact(n.longValue());
                }
                if (t == Short.class) {
                    return n.shortValue();
                }
                if (t == Double.class) {
                    return n.doubleValue();
                }
                if (t == Float.class) {
                    return n.floatValue();
                }
                if (t == BigDecimal.class) {
                    return raw instanceof BigDecimal ? raw : new BigDecimal(n.toString());
                }
                if (t == BigInteger.class) {
                    return new BigDecimal(n.toString()).toBigIntegerExact();
                }
                if (t == Boolean.class) {
                    return n.intValue() != 0;
                }
                if (t == Instant.class) {
                    return Instant.ofEpochMilli(n.longValue());
                }
            }
            if (raw instanceof String) {
                String s = (String) raw;
                if (t == UUID.class) {
                    return UUID.fromString(s);
                }
                if (t.isEnum()) {
                    return Enum.valueOf((Class) t, s);
                }
                if (t == Long.class) {
                    return Long.parseLong(s);
                }
                if (t == Integer.class) {
                    return Integer.parseInt(s);
                }
                if (t == BigDecimal.class) {
                    return new BigDecimal(s);
                }
                if (t == Boolean.class) {
                    return "1".equals(s) || "true".equalsIgnoreCase(s);
                }
                if (t == Instant.class) {
                    return parseInstant(s);
                }
                if (t == LocalDate.class) {
                    return LocalDate.parse(s.length() > 10 ? s.substring(0, 10) : s);
                }
                if (t == LocalDateTime.class) {
                    return LocalDateTime.parse(s.replace(' ', 'T'));
                }
            }
            if (raw instanceof byte[] && t == UUID.class) {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap((byte[]) raw);
                return new UUID(b.getLong(), b.getLong());
            }
            if (raw instanceof Timestamp) {
                Timestamp ts = (Timestamp) raw;
                if (t == Instant.class) {
                    return ts.toInstant();
                }
                if (t == LocalDateTime.class) {
                    return ts.toLocalDateTime();
                }
                if (t == OffsetDateTime.class) {
                    return ts.toInstant().atOffset(ZoneOffset.UTC);
                }
                if (t == LocalDate.class) {
                    return ts.toLocalDateTime().toLocalDate();
                }
            }
            if (raw instanceof OffsetDateTime && t == Instant.class) {
                return ((OffsetDateTime) raw).toInstant();
            }
            if (raw instanceof LocalDateTime && t == Instant.class) {
                return ((LocalDateTime) raw).toInstant(ZoneOffset.UTC);
            }
            if (raw instanceof Date && t == LocalDate.class) {
                return ((Date) raw).toLocalDate();
            }
            if (raw instanceof Time && t == LocalTime.class) {
                return ((Time) raw).toLocalTime();
            }
            if (raw instanceof Boolean && (t == Integer.class || t == Long.class)) {
                return (Boolean) raw ? 1 : 0;
            }
            if (t == String.class) {
                return raw.toString();
            }
        } catch (RuntimeException e) {
            throw TxkitException.of(ErrorCode.SQL_ERROR, "column " + column + " of type "
                    + raw.getClass().getSimpleName() + " cannot be read as " + type.getSimpleName(), null);
        }
        throw TxkitException.of(ErrorCode.SQL_ERROR, "column " + column + " of type "
                + raw.getClass().getName() + " cannot be read as " + type.getName());
    }

    private static Instant parseInstant(String s) {
        String iso = s.replace(' ', 'T');
        if (iso.endsWith("Z") || iso.matches(".*[+-]\\d\\d:?\\d\\d$")) {
            return OffsetDateTime.parse(iso).toInstant();
        }
        return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
    }

    /** The wrapper class of a primitive type; any other type as it is. */
    public static Class<?> box(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        if (type == long.class) {
            return Long.class;
        }
        if (type == int.class) {
            return Integer.class;
        }
        if (type == boolean.class) {
            return Boolean.class;
        }
        if (type == double.class) {
            return Double.class;
        }
        if (type == float.class) {
            return Float.class;
        }
        if (type == short.class) {
            return Short.class;
        }
        return type;
    }
}
