package dev.txkit.internal.watch;

import dev.txkit.dialect.Dialect;
import dev.txkit.dialect.Dialects;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Asks the server who waits for whose locks: PostgreSQL's {@code pg_blocking_pids} over the
 * sessions of {@code pg_stat_activity} that wait for a lock, MariaDB's
 * {@code information_schema.INNODB_LOCK_WAITS} joined with {@code INNODB_TRX} (transaction ids to
 * connection ids) and {@code PROCESSLIST} (client endpoint). One query per call, for the sessions
 * that wait on any of the given holders and for the given waiters, with each waiter's client
 * address and port (so a session this process opened outside txkit can be recognised) and how long
 * it has waited. And it cancels a statement of another session ({@code pg_cancel_backend},
 * {@code KILL QUERY}).
 *
 * <p>MariaDB serves its {@code INNODB_*} lock tables from a server-wide cache that is refreshed only
 * when nobody has read it for 100 ms: a client that reads them more often sees the same stale
 * picture for as long as it keeps reading. So txkit spaces its own reads at least
 * {@value #MARIADB_SPACING_MILLIS} ms apart across the JVM (a monitoring tool that polls faster
 * than every 100 ms still blinds it). Called only from the single probe thread.
 */
final class LockView {
    static final long MARIADB_SPACING_MILLIS = 120;
    private static long lastMariaDbRead;
    private static boolean readMariaDbBefore;

    private LockView() {
    }

    /** One lock wait: session {@code waiter} waits for a lock {@code blocker} holds. */
    record Wait(long waiter, long blocker, String clientHost, int clientPort, long waitedMillis) {
    }

    /** Whether the lock view of {@code dialect} is known. */
    static boolean supports(Dialect dialect) {
        return dialect == Dialects.POSTGRES || dialect == Dialects.MARIADB;
    }

    /** The lock waits on any session of {@code holders}, and those of any session of {@code waiters}. */
    static List<Wait> waits(Dialect dialect, Connection side, Collection<Long> holders, Collection<Long> waiters)
            throws SQLException {
        // The ids are numbers the drivers reported, never user input, so they are written into the text.
        String h = ids(holders);
        String w = ids(waiters);
        boolean maria = dialect == Dialects.MARIADB;
        String sql = !maria
                ? "SELECT a.pid, b.pid, host(a.client_addr), a.client_port,"
                + " (EXTRACT(EPOCH FROM clock_timestamp() - a.query_start) * 1000)::bigint"
                + " FROM pg_stat_activity a CROSS JOIN LATERAL unnest(pg_blocking_pids(a.pid)) AS b(pid)"
                + " WHERE a.wait_event_type = 'Lock' AND (b.pid = ANY(ARRAY[" + h + "]::int[])"
                + " OR a.pid = ANY(ARRAY[" + w + "]::int[]))"
                : "SELECT r.trx_mysql_thread_id, b.trx_mysql_thread_id, p.HOST, 0, p.TIME_MS"
                + " FROM information_schema.INNODB_LOCK_WAITS lw"
                + " JOIN information_schema.INNODB_TRX r ON r.trx_id = lw.requesting_trx_id"
                + " JOIN information_schema.INNODB_TRX b ON b.trx_id = lw.blocking_trx_id"
                + " LEFT JOIN information_schema.PROCESSLIST p ON p.ID = r.trx_mysql_thread_id"
                // PROCESSLIST is live where INNODB_* is a cache: a waiter that is idle now is a stale row
                + " WHERE (p.COMMAND IS NULL OR p.COMMAND <> 'Sleep')"
                + " AND (b.trx_mysql_thread_id IN (" + orNone(h) + ") OR r.trx_mysql_thread_id IN (" + orNone(w) + "))";
        if (maria && readMariaDbBefore) {
            long wait = lastMariaDbRead + TimeUnit.MILLISECONDS.toNanos(MARIADB_SPACING_MILLIS) - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }
        List<Wait> result = new ArrayList<>();
        try (Statement st = side.createStatement()) {
            st.setQueryTimeout(2);
            try (ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    String host = rs.getString(3);
                    int port = rs.getInt(4);
                    if (maria && host != null && host.lastIndexOf(':') > 0) { // PROCESSLIST.HOST is "ip:port"
                        int colon = host.lastIndexOf(':');
                        port = parsePort(host.substring(colon + 1));
                        host = host.substring(0, colon);
                    }
                    result.add(new Wait(rs.getLong(1), rs.getLong(2), host, port, (long) rs.getDouble(5)));
                }
            }
        } finally {
            if (maria) {
                lastMariaDbRead = System.nanoTime();
                readMariaDbBefore = true;
            }
        }
        return result;
    }

    /** Cancels the running statement of session {@code session} (its transaction stays open). */
    static void cancel(Dialect dialect, Connection side, long session) throws SQLException {
        try (Statement st = side.createStatement()) {
            st.setQueryTimeout(2);
            st.execute(dialect == Dialects.MARIADB ? "KILL QUERY " + session : "SELECT pg_cancel_backend(" + session + ")");
        }
    }

    private static String ids(Collection<Long> sessions) {
        StringJoiner ids = new StringJoiner(",");
        for (long s : sessions) {
            ids.add(Long.toString(s));
        }
        return ids.toString();
    }

    private static String orNone(String ids) {
        return ids.isEmpty() ? "-1" : ids;
    }

    private static int parsePort(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
