package dev.txkit.it.bank;

import dev.txkit.testing.DbKind;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The fault injector's own connection to the server: finds the bank clients' sessions and kills
 * them or cancels their running statement ({@code pg_terminate_backend} / {@code pg_cancel_backend},
 * MariaDB {@code KILL CONNECTION} / {@code KILL QUERY}), and counts sessions left inside a
 * transaction. Only sessions of this run are touched: on PostgreSQL those with the run's
 * application name, on MariaDB those in the run's database.
 *
 * <p>Thread-safe (synchronized: one admin connection, reopened after a server restart).
 */
final class ServerAdmin implements AutoCloseable {
    private final BankTarget target;
    private final String application;
    private Connection connection;

    ServerAdmin(BankTarget target, String application) {
        this.target = target;
        this.application = application;
    }

    /** Which client sessions {@link #sessions} returns. */
    enum Sessions {
        /** Every session of the clients' pool, idle ones included. */
        ALL,
        /** Sessions inside a transaction: running a statement, waiting for a lock, or between statements. */
        IN_TRANSACTION,
        /** Sessions executing a statement (or waiting for a lock) right now. */
        RUNNING
    }

    /** Ids of the clients' sessions of the given kind. */
    synchronized List<Long> sessions(Sessions which) throws SQLException {
        boolean pg = target.kind() == DbKind.POSTGRES;
        String sql = pg
                ? "SELECT pid FROM pg_stat_activity WHERE application_name = ? AND pid <> pg_backend_pid()"
                : "SELECT id FROM information_schema.processlist WHERE db = ? AND id <> CONNECTION_ID()";
        sql += switch (which) {
            case ALL -> "";
            case RUNNING -> pg ? " AND state = 'active'" : " AND command = 'Query'";
            case IN_TRANSACTION -> pg ? " AND state IN ('active', 'idle in transaction')"
                    : " AND (command = 'Query' OR id IN (SELECT trx_mysql_thread_id FROM information_schema.innodb_trx))";
        };
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = connection().prepareStatement(sql)) {
            ps.setString(1, pg ? application : target.database());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    /** Terminates the session (its transaction rolls back, its connection is gone). */
    synchronized void kill(long id) throws SQLException {
        signal(id, "pg_terminate_backend", "KILL CONNECTION ");
    }

    /** Cancels the statement the session is running, if any; the session stays. */
    synchronized void cancel(long id) throws SQLException {
        signal(id, "pg_cancel_backend", "KILL QUERY ");
    }

    private void signal(long id, String pgFunction, String mariaDbCommand) throws SQLException {
        try (Statement st = connection().createStatement()) {
            // the id is a number read from the server just now, never outside input
            st.execute(target.kind() == DbKind.POSTGRES ? "SELECT " + pgFunction + "(" + id + ")"
                    : mariaDbCommand + id);
        } catch (SQLException e) {
            if (e.getErrorCode() != 1094) { // MariaDB: unknown thread id, the session ended meanwhile
                throw e;
            }
        }
    }

    /**
     * Client sessions with an open transaction. PostgreSQL: state {@code idle in transaction}.
     * MariaDB: rows of {@code information_schema.innodb_trx}, a cache InnoDB refreshes only when
     * it was not read for 100 ms — so a non-zero count is read again (up to 10 times, 150 ms apart)
     * before it is believed.
     */
    synchronized int openTransactions() throws SQLException, InterruptedException {
        String sql = target.kind() == DbKind.POSTGRES
                ? "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?"
                        + " AND state LIKE 'idle in transaction%'"
                : "SELECT count(*) FROM information_schema.innodb_trx t JOIN information_schema.processlist p"
                        + " ON p.id = t.trx_mysql_thread_id WHERE p.db = ? AND p.id <> CONNECTION_ID()";
        int n = 0;
        for (int i = 0; i < 10; i++) {
            try (PreparedStatement ps = connection().prepareStatement(sql)) {
                ps.setString(1, target.kind() == DbKind.POSTGRES ? application : target.database());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    n = rs.getInt(1);
                }
            }
            if (n == 0 || target.kind() == DbKind.POSTGRES) {
                return n;
            }
            Thread.sleep(150);
        }
        return n;
    }

    private Connection connection() throws SQLException {
        if (connection == null || !connection.isValid(1)) {
            close();
            connection = target.connect();
            connection.setAutoCommit(true);
        }
        return connection;
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the server went away (restart phase): nothing to close
            }
            connection = null;
        }
    }
}
