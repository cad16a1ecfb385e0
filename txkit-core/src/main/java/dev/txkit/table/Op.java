package dev.txkit.table;

/** A comparison in a {@link Query} condition. A {@code null} value is only allowed with EQ and NE (IS [NOT] NULL). */
public enum Op {
    EQ("="), NE("<>"), LT("<"), LE("<="), GT(">"), GE(">=");

    private final String sql;

    Op(String sql) {
        this.sql = sql;
    }

    /** The SQL operator. */
    public String sql() {
        return sql;
    }
}
