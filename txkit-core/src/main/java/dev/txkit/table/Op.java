package dev.txkit.table;

/** A comparison in a {@link Query} condition. A {@code null} value is only allowed with EQ and NE (IS [NOT] NULL). */
public enum Op {
    /** Equal; with {@code null}, {@code IS NULL}. */
    EQ("="),
    /** Not equal; with {@code null}, {@code IS NOT NULL}. */
    NE("<>"),
    /** Less than. */
    LT("<"),
    /** Less than or equal. */
    LE("<="),
    /** Greater than. */
    GT(">"),
    /** Greater than or equal. */
    GE(">=");

    private final String sql;

    Op(String sql) {
        this.sql = sql;
    }

    /** {@return the SQL operator, e.g. {@code <>} for {@link #NE}} */
    public String sql() {
        return sql;
    }
}
