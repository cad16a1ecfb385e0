package dev.txkit;

import java.sql.Connection;

/**
 * Transaction isolation levels, in increasing strength. Not every database supports every level:
 * asking for one the database lacks fails with {@link ErrorCode#UNSUPPORTED} before anything runs.
 */
public enum Isolation {
    READ_UNCOMMITTED(Connection.TRANSACTION_READ_UNCOMMITTED, "READ UNCOMMITTED"),
    READ_COMMITTED(Connection.TRANSACTION_READ_COMMITTED, "READ COMMITTED"),
    REPEATABLE_READ(Connection.TRANSACTION_REPEATABLE_READ, "REPEATABLE READ"),
    SERIALIZABLE(Connection.TRANSACTION_SERIALIZABLE, "SERIALIZABLE");

    private final int jdbcLevel;
    private final String sql;

    Isolation(int jdbcLevel, String sql) {
        this.jdbcLevel = jdbcLevel;
        this.sql = sql;
    }

    /** The {@code java.sql.Connection.TRANSACTION_*} constant. */
    public int jdbcLevel() {
        return jdbcLevel;
    }

    /** The level as written in SQL, e.g. {@code REPEATABLE READ}. */
    public String sql() {
        return sql;
    }
}
