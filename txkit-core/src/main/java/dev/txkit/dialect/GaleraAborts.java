package dev.txkit.dialect;

import dev.txkit.ErrorCode;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Tells a Galera certification abort from an InnoDB deadlock. Both reach the client as 1213
 * (40001) "Deadlock found": Galera aborts a local transaction whose rows a write set committed on
 * another node touches (a brute-force abort) and reports it with the deadlock error, at whatever
 * statement runs next. That is a write conflict — metrics and logs should say CONFLICT. InnoDB
 * records the deadlock its own detector resolved last in {@code SHOW ENGINE INNODB STATUS} under
 * "LATEST DETECTED DEADLOCK", naming the victim's thread and transaction id. On a Galera node, a
 * 1213 is a deadlock only if that record is recent, names this connection as the victim, and has
 * not already explained an earlier failure (a pooled connection can be a deadlock victim and then
 * lose a certification a moment later; the record stays until the next deadlock).
 *
 * <p>Runs two queries, only after a 1213 at a statement; on any doubt (no PROCESS privilege, not a
 * Galera node, unparsable output) the code stays DEADLOCK. Thread-safe; remembers the records it
 * has attributed (bounded).
 */
final class GaleraAborts {
    private static final int REMEMBERED = 1024;
    private final java.util.Set<String> attributed = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final String SECTION = "LATEST DETECTED DEADLOCK";
    private static final java.util.regex.Pattern THREAD = java.util.regex.Pattern.compile("(?:MariaDB|MySQL) thread id (\\d+)");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    /** A deadlock record older than this cannot be the one that just failed this statement. */
    private static final Duration RECENT = Duration.ofSeconds(10);

    ErrorCode refine(Connection connection, ErrorCode code) {
        if (code != ErrorCode.DEADLOCK) {
            return code;
        }
        try (Statement st = connection.createStatement()) {
            long id;
            LocalDateTime now;
            String server;
            try (ResultSet rs = st.executeQuery("SELECT @@wsrep_on, CONNECTION_ID(), NOW(), CONCAT(@@hostname, ':', @@port)")) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return code;
                }
                id = rs.getLong(2);
                now = rs.getTimestamp(3).toLocalDateTime();
                server = rs.getString(4);
            }
            String record;
            try (ResultSet rs = st.executeQuery("SHOW ENGINE INNODB STATUS")) {
                if (!rs.next()) {
                    return code;
                }
                record = victimRecord(rs.getString(3), id, now);
            }
            if (record == null || !remember(server + '/' + record)) {
                return ErrorCode.CONFLICT;
            }
            return ErrorCode.DEADLOCK;
        } catch (SQLException | RuntimeException e) {
            return code;
        }
    }

    /** False if {@code key} was attributed before: that record explains an earlier failure. */
    private boolean remember(String key) {
        if (attributed.size() >= REMEMBERED) {
            attributed.clear();
        }
        return attributed.add(key);
    }

    /**
     * The victim's transaction line ("TRANSACTION 27823, …") of InnoDB's latest recorded deadlock,
     * if that record is recent as of {@code now} and rolled back thread {@code id}; else null.
     */
    static String victimRecord(String status, long id, LocalDateTime now) {
        if (status == null) {
            return null;
        }
        int start = status.indexOf(SECTION);
        if (start < 0) {
            return null;
        }
        int end = status.indexOf("\nTRANSACTIONS\n", start);
        String section = status.substring(start, end < 0 ? status.length() : end);
        if (!recent(section, now)) {
            return null;
        }
        int rollback = section.indexOf("*** WE ROLL BACK TRANSACTION (");
        if (rollback < 0) {
            return null;
        }
        int close = section.indexOf(')', rollback);
        String victim = section.substring(rollback + "*** WE ROLL BACK TRANSACTION (".length(), close);
        int block = section.indexOf("*** (" + victim + ") TRANSACTION:");
        if (block < 0) {
            return null;
        }
        int lineStart = section.indexOf('\n', block) + 1;
        int lineEnd = section.indexOf(',', lineStart);
        // MariaDB writes "MariaDB thread id", MySQL "MySQL thread id".
        java.util.regex.Matcher thread = THREAD.matcher(section);
        if (lineStart <= 0 || lineEnd < 0 || !thread.find(block) || Long.parseLong(thread.group(1)) != id) {
            return null;
        }
        return section.substring(lineStart, lineEnd);
    }

    private static boolean recent(String section, LocalDateTime now) {
        // The line after the dashes under the heading starts with the time it was recorded.
        for (String line : section.split("\n")) {
            if (line.length() >= 19 && Character.isDigit(line.charAt(0))) {
                try {
                    LocalDateTime at = LocalDateTime.parse(line.substring(0, 19), STAMP);
                    return !at.isBefore(now.minus(RECENT));
                } catch (DateTimeParseException e) {
                    return false;
                }
            }
        }
        return false;
    }
}
