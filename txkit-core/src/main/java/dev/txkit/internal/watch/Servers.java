package dev.txkit.internal.watch;

import java.util.Locale;

/**
 * Which database server a JDBC URL points at ({@code host:port}), so that session ids the lock view
 * reports are only compared between pools of one server. Stateless.
 */
public final class Servers {
    private Servers() {
    }

    /** {@code host:port} of a PostgreSQL or MariaDB/MySQL URL (default port filled in), else null. */
    public static String key(String jdbcUrl) {
        if (jdbcUrl == null) {
            return null;
        }
        String url = jdbcUrl.toLowerCase(Locale.ROOT);
        String port;
        if (url.startsWith("jdbc:postgresql://")) {
            port = "5432";
        } else if (url.startsWith("jdbc:mariadb://") || url.startsWith("jdbc:mysql://")) {
            port = "3306";
        } else {
            return null;
        }
        String rest = url.substring(url.indexOf("//") + 2);
        int end = rest.length();
        for (char c : new char[]{'/', '?', ','}) {
            int i = rest.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        String host = rest.substring(0, end);
        if (host.isEmpty()) {
            host = "localhost";
        }
        return host.lastIndexOf(':') > host.lastIndexOf(']') ? host : host + ":" + port;
    }
}
