package dev.txkit;

import java.sql.Connection;

/**
 * Transaction isolation levels, in increasing strength. Not every database supports every level:
 * asking for one the database lacks fails with {@link ErrorCode#UNSUPPORTED} before anything runs.
 */
public enum Isolation {
    /** May read rows other transactions have not committed (PostgreSQL runs it as READ COMMITTED). */
    READ_UNCOMMITTED(Connection.TRANSACTION_READ_UNCOMMITTED, "READ UNCOMMITTED"),
    /** Each statement sees what was committed before it began; the default of PostgreSQL and H2. */
    READ_COMMITTED(Connection.TRANSACTION_READ_COMMITTED, "READ COMMITTED"),
    /**
     * Every statement sees the snapshot taken at the transaction's first read; MariaDB's default (run
     * with {@code innodb_snapshot_isolation=ON}, so a lost update fails with a conflict).
     */
    REPEATABLE_READ(Connection.TRANSACTION_REPEATABLE_READ, "REPEATABLE READ"),
    /**
     * The result is as if the transactions had run one after another; a transaction that cannot be
     * ordered fails with {@link ErrorCode#CONFLICT} and is retried. SQLite's only level.
     */
    SERIALIZABLE(Connection.TRANSACTION_SERIALIZABLE, "SERIALIZABLE");

    private final int jdbcLevel;
    private final String sql;

    Isolation(int jdbcLevel, String sql) {
        this.jdbcLevel = jdbcLevel;
        this.sql = sql;
    }

    /** {@return the matching {@code java.sql.Connection.TRANSACTION_*} constant} */
    public int jdbcLevel() {
        return jdbcLevel;
    }

    /** {@return the level as written in SQL, e.g. {@code REPEATABLE READ}} */
    public String sql() {
        return sql;
    }
}
