package dev.txkit.table;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the record component that is the row's version for optimistic concurrency control: an
 * {@code int}, {@code long}, {@code Integer} or {@code Long}, at most one per record.
 * {@link Table#update} then writes only if the stored version still equals the record's
 * ({@code … where id = ? and version = ?}) and stores version + 1. A new row starts at the version
 * given to {@link Table#insert}, or at 1 when that is {@code null} or 0. Bulk updates
 * ({@link Query#updateAll}) and upserts also add 1, so a reader holding the old version cannot
 * overwrite them.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Version {
}
