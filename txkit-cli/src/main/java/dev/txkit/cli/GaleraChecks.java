package dev.txkit.cli;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Function;

/** The settings {@code txkit doctor} checks on a MariaDB Galera node, with what each means for txkit. */
final class GaleraChecks {
    private GaleraChecks() {
    }

    static boolean isGalera(Connection c) {
        String on = value(c, "SELECT @@wsrep_on");
        return "1".equals(on) || "ON".equalsIgnoreCase(on);
    }

    static void print(Connection c, String url, PrintWriter out) {
        out.printf("  %-36s %-18s %s%n", "JDBC URL failover", "", urlAdvice(url));
        row(c, out, "SHOW GLOBAL STATUS LIKE 'wsrep_cluster_size'", 2, "wsrep_cluster_size",
                v -> "nodes in this node's primary component");
        row(c, out, "SHOW GLOBAL STATUS LIKE 'wsrep_local_state_comment'", 2, "wsrep_local_state_comment",
                v -> v.equals("Synced") ? "ok" : "this node is not Synced: it refuses queries (1047) until it is");
        row(c, out, "SELECT @@binlog_format", 1, "binlog_format",
                v -> v.equalsIgnoreCase("ROW") ? "ok" : "must be ROW for Galera replication");
        row(c, out, "SELECT @@innodb_autoinc_lock_mode", 1, "innodb_autoinc_lock_mode",
                v -> v.equals("2") ? "ok" : "recommend 2 (interleaved): other modes can deadlock the appliers");
        row(c, out, "SELECT @@wsrep_sync_wait", 1, "wsrep_sync_wait",
                v -> v.equals("0") ? "reads may miss writes just committed on another node; for read-your-writes add"
                        + " sessionVariables=wsrep_sync_wait=1 to the JDBC URL (costs one wait for the node to catch up per read)"
                        : "ok: reads wait until this node has applied earlier commits");
        row(c, out, "SELECT @@wsrep_retry_autocommit", 1, "wsrep_retry_autocommit",
                v -> "the server retries a conflicting autocommit statement this often; txkit retries what remains");
        row(c, out, "SELECT @@wsrep_provider_options", 1, "evs.suspect_timeout",
                v -> suspectAdvice(v));
    }

    /**
     * What the URL means for node loss: a single host loses every connection with its node; a
     * multi-host URL with the driver's default deny list can retry a dead node for ~30 s inside one call.
     */
    static String urlAdvice(String url) {
        String lower = url == null ? "" : url.toLowerCase(java.util.Locale.ROOT);
        int hostsStart = lower.indexOf("//");
        int hostsEnd = hostsStart < 0 ? -1 : lower.indexOf('/', hostsStart + 2);
        String hosts = hostsStart < 0 ? "" : lower.substring(hostsStart + 2, hostsEnd < 0 ? lower.length() : hostsEnd);
        if (!hosts.contains(",")) {
            return "one host: when its node dies every connection fails until it returns; list the nodes,"
                    + " jdbc:mariadb:sequential://n1,n2,n3/db?retriesAllDown=3&deniedListTimeout=2000";
        }
        if (!lower.contains("retriesalldown=") || !lower.contains("deniedlisttimeout=")) {
            return "add retriesAllDown=3&deniedListTimeout=2000: with the driver's defaults (120 tries, 60 s) one"
                    + " JDBC call can retry a dead node for ~30 s, past any transaction timeout";
        }
        return "ok: several hosts, the driver gives up on a dead node quickly";
    }

    /** Failure detection decides how long the survivors freeze when a node dies. */
    static String suspectAdvice(String providerOptions) {
        String timeout = option(providerOptions, "evs.suspect_timeout");
        if (timeout == null) {
            return "(not reported)";
        }
        return timeout + ": writes freeze about this long plus ~1.5 s after a node crash; keep it below txkit's"
                + " transaction timeout (default 5 s), e.g. PT2S on a LAN, so a crash is waited out, not a TIMEOUT";
    }

    static String option(String providerOptions, String name) {
        if (providerOptions == null) {
            return null;
        }
        for (String part : providerOptions.split(";")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length == 2 && kv[0].trim().equals(name)) {
                return kv[1].trim();
            }
        }
        return null;
    }

    private static String value(Connection c, String sql) {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            return null;
        }
    }

    private static void row(Connection c, PrintWriter out, String sql, int column, String name,
                            Function<String, String> advice) {
        String v = null;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            if (rs.next()) {
                v = rs.getString(column);
            }
        } catch (SQLException e) {
            v = null;
        }
        String shown = v == null ? "(unavailable)" : name.startsWith("evs.") ? "" : v;
        out.printf("  %-36s %-18s %s%n", name, shown, v == null ? "" : advice.apply(v));
    }
}
