package dev.txkit.cli;

import dev.txkit.Database;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** What a scenario runs against: the raw pool for the naive way and a txkit Database (see {@link Target#naive}). */
final class DemoContext {
    final DataSource raw;
    final Database db;
    final boolean mariadb;

    DemoContext(DataSource raw, Database db, boolean mariadb) {
        this.raw = raw;
        this.db = db;
        this.mariadb = mariadb;
    }

    /** Runs DDL/setup statements in autocommit on a raw connection. */
    void ddl(String... sql) throws SQLException {
        try (Connection c = raw.getConnection(); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    /** The statement that makes a plain JDBC session give up on a lock after {@code seconds}. */
    String lockTimeout(int seconds) {
        return mariadb ? "SET SESSION innodb_lock_wait_timeout = " + seconds : "SET lock_timeout = '" + seconds + "s'";
    }

    String sleep(double seconds) {
        return mariadb ? "SELECT SLEEP(" + seconds + ")" : "SELECT pg_sleep(" + seconds + ")";
    }
}
