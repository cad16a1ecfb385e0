package dev.txkit.table;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the table of a record when it is not the snake_case of the record's simple name
 * ({@code SeatBooking} → {@code seat_booking}). Same rules as {@link Column}. (Called
 * {@code TableName} rather than {@code Table} so it does not clash with {@link Table}.)
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface TableName {
    /** {@return the table name, as it would be written unquoted in DDL} */
    String value();
}
