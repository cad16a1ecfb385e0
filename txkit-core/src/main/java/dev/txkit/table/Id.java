package dev.txkit.table;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the record component that is the table's primary key. Every record used with
 * {@link Table} needs exactly one. When its value is {@code null} at {@link Table#insert}, the
 * database generates it (identity / auto-increment column) and the returned record carries it;
 * use a boxed type ({@code Long}, {@code Integer}) for generated keys.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Id {
}
