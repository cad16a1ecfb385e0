package dev.txkit.table;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the column of a record component when it is not the snake_case of the component's name
 * ({@code createdAt} → {@code created_at}). The name must match {@code [A-Za-z_][A-Za-z0-9_]{0,62}};
 * it is quoted in SQL, with the case the database gives unquoted names (lower case on PostgreSQL,
 * upper case on H2), so it refers to the column your DDL created without quotes.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Column {
    /** {@return the column name, as it would be written unquoted in DDL} */
    String value();
}
