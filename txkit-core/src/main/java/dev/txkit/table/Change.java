package dev.txkit.table;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;

/**
 * One assignment of a bulk update ({@link Query#updateAll}): set a column to a value, or add to /
 * subtract from it atomically in the database ({@code balance = balance - ?}), which cannot lose
 * an update however many clients run it at once. Immutable and thread-safe.
 */
public final class Change {
    /** The kind of assignment. */
    public enum Kind {
        /** {@code column = value}. */
        SET,
        /** {@code column = column + amount}. */
        INCREMENT,
        /** {@code column = column - amount}. */
        DECREMENT
    }

    private final Kind kind;
    private final String column;
    private final Object value;

    private Change(Kind kind, String column, Object value) {
        if (column == null || column.isBlank()) {
            throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "the column of a Change must not be null or blank");
        }
        this.kind = kind;
        this.column = column;
        this.value = value;
    }

    /**
     * {@code column = value}.
     *
     * @param column a component or column name of the record
     * @param value the value, bound; {@code null} stores NULL
     * @return the assignment
     * @throws dev.txkit.TxkitException {@link ErrorCode#INVALID_ARGUMENT} for a null or blank column
     */
    public static Change set(String column, Object value) {
        return new Change(Kind.SET, column, value);
    }

    /**
     * {@code column = column + amount}, computed by the database.
     *
     * @param column a numeric component or column name of the record
     * @param amount the amount, bound
     * @return the assignment
     * @throws dev.txkit.TxkitException {@link ErrorCode#INVALID_ARGUMENT} for a null or blank column or a null amount
     */
    public static Change increment(String column, Number amount) {
        return new Change(Kind.INCREMENT, column, requireAmount(column, amount));
    }

    /**
     * {@code column = column - amount}, computed by the database.
     *
     * @param column a numeric component or column name of the record
     * @param amount the amount, bound
     * @return the assignment
     * @throws dev.txkit.TxkitException {@link ErrorCode#INVALID_ARGUMENT} for a null or blank column or a null amount
     */
    public static Change decrement(String column, Number amount) {
        return new Change(Kind.DECREMENT, column, requireAmount(column, amount));
    }

    private static Number requireAmount(String column, Number amount) {
        if (amount == null) {
            throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "the amount for column " + column + " must not be null");
        }
        return amount;
    }

    /** {@return the kind of assignment} */
    public Kind kind() {
        return kind;
    }

    /** {@return the column or record component name, as given} */
    public String column() {
        return column;
    }

    /** {@return the value or amount, as given; {@code null} for a SET to NULL} */
    public Object value() {
        return value;
    }

    @Override
    public String toString() {
        return kind + "(" + column + ")";
    }
}
