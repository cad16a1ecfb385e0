package dev.txkit;

import java.util.List;
import java.util.Optional;

/**
 * A statement with bound arguments, ready to run. Made by {@link Database#sql} (which joins the
 * transaction of the current scope, if any) or {@link Transaction#sql}. Nothing is sent until one
 * of the terminal methods is called; each call runs the statement once more.
 *
 * <p>Result types: a scalar ({@code String}, {@code Long}, {@code Integer}, {@code BigDecimal},
 * {@code Boolean}, {@code Instant}, {@code UUID}, …) read from the first column, or a Java record
 * whose components are matched to columns by name ({@code created_at} ↔ {@code createdAt}).
 *
 * <p>Before anything is sent, txkit checks that the number of arguments matches the {@code ?}
 * placeholders (INVALID_ARGUMENT otherwise; {@code ?} in quotes and comments does not count) and
 * refuses transaction-control statements such as {@code commit} or {@code set autocommit} with
 * MISUSE naming the method to use instead.
 */
public interface Sql {

    /**
     * Runs an INSERT/UPDATE/DELETE or DDL statement.
     *
     * @return the affected row count (0 for DDL)
     */
    int update();

    /**
     * Runs a query and maps every row.
     *
     * @param <T> the row type
     * @param type a scalar type read from the first column, or a record matched to columns by name
     * @return the rows in the order the database returned them; empty when there are none
     */
    <T> List<T> list(Class<T> type);

    /**
     * Runs a query that must return exactly one row; none is {@link ErrorCode#NOT_FOUND}, more than one
     * is {@link ErrorCode#SQL_ERROR}.
     *
     * @param <T> the row type
     * @param type a scalar type read from the first column, or a record matched to columns by name
     * @return the row
     */
    <T> T one(Class<T> type);

    /**
     * Runs a query that returns at most one row; more than one is {@link ErrorCode#SQL_ERROR}.
     *
     * @param <T> the row type
     * @param type a scalar type read from the first column, or a record matched to columns by name
     * @return the row, or empty when there is none (or the only column is SQL NULL)
     */
    <T> Optional<T> optional(Class<T> type);
}
