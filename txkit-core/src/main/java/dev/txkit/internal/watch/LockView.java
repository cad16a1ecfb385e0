package dev.txkit.internal.watch;

import dev.txkit.dialect.Dialect;
import dev.txkit.dialect.Dialects;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Asks the server which sessions block which: PostgreSQL's {@code pg_blocking_pids}, MariaDB's
 * {@code information_schema.INNODB_LOCK_WAITS} joined with {@code INNODB_TRX} to map transaction
 * ids to connection thread ids. One query per call, whatever the number of waiters.
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

    /** Whether the lock view of {@code dialect} is known. */
    static boolean supports(Dialect dialect) {
        return dialect == Dialects.POSTGRES || dialect == Dialects.MARIADB;
    }

    /** For each waiting session of {@code waiters}, the sessions that block it (absent: not blocked). */
    static Map<Long, Set<Long>> blockers(Dialect dialect, Connection side, Collection<Long> waiters) throws SQLException {
        // The ids are numbers the drivers reported, never user input, so they are written into the text.
        StringJoiner ids = new StringJoiner(",");
        for (long w : waiters) {
            ids.add(Long.toString(w));
        }
        String sql = dialect == Dialects.POSTGRES
                ? "SELECT w, unnest(pg_blocking_pids(w)) FROM unnest(ARRAY[" + ids + "]::int[]) AS w"
                : "SELECT r.trx_mysql_thread_id, b.trx_mysql_thread_id"
                + " FROM information_schema.INNODB_LOCK_WAITS lw"
                + " JOIN information_schema.INNODB_TRX r ON r.trx_id = lw.requesting_trx_id"
                + " JOIN information_schema.INNODB_TRX b ON b.trx_id = lw.blocking_trx_id"
                + " WHERE r.trx_mysql_thread_id IN (" + ids + ")";
        Map<Long, Set<Long>> result = new HashMap<>();
        boolean maria = dialect == Dialects.MARIADB;
        if (maria && readMariaDbBefore) {
            long wait = lastMariaDbRead + TimeUnit.MILLISECONDS.toNanos(MARIADB_SPACING_MILLIS) - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }
        try (Statement st = side.createStatement()) {
            st.setQueryTimeout(2);
            try (ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    result.computeIfAbsent(rs.getLong(1), k -> new HashSet<>()).add(rs.getLong(2));
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
}
