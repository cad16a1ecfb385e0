package dev.txkit.internal.pool;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;
import dev.txkit.internal.jdbc.Redaction;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;

/**
 * Checks a JDBC URL before txkit builds a pool on it, so a malformed URL fails with
 * INVALID_ARGUMENT that says what is wrong, instead of a driver's or HikariCP's untyped exception
 * that may quote the password (issue 15). Every message shows the URL redacted. Static methods;
 * thread-safe.
 */
public final class JdbcUrls {
    private JdbcUrls() {
    }

    /** Throws INVALID_ARGUMENT unless {@code url} is well-formed and some JDBC driver on the class path accepts it. */
    public static void validate(String url) {
        if (url == null || !url.startsWith("jdbc:")) {
            throw invalid("jdbcUrl must start with 'jdbc:' but was " + (url == null ? "null" : "'" + Redaction.text(url) + "'"));
        }
        String lower = url.toLowerCase(Locale.ROOT);
        boolean pg = lower.startsWith("jdbc:postgresql://");
        boolean maria = lower.startsWith("jdbc:mariadb://");
        if (pg || maria) {
            String authority = authority(url);
            if (authority.contains("@")) {
                throw invalid("the URL " + Redaction.text(url) + " puts credentials before the host (user:password@host),"
                        + " which the " + (pg ? "PostgreSQL" : "MariaDB") + " driver does not understand; pass the user"
                        + " and password as arguments of Database.connect instead");
            }
            if (!authority.contains("(")) { // MariaDB's address=(host=…)(port=…) form has no host:port list
                for (String host : authority.split(",")) {
                    checkPort(host, url);
                }
            }
        }
        try {
            DriverManager.getDriver(url);
        } catch (SQLException e) {
            int colon = url.indexOf(':', 5);
            throw invalid("no JDBC driver on the class path accepts the URL " + Redaction.text(url) + " (unknown scheme '"
                    + (colon < 0 ? url : url.substring(0, colon + 1)) + "', or a URL its driver cannot parse); add the"
                    + " driver dependency or fix the URL");
        }
    }

    /** The {@code host:port} part of a URL for messages (credentials masked), or {@code "?"} when it has none. */
    public static String hostOf(String url) {
        if (url == null || !url.contains("//")) {
            return "?";
        }
        String a = authority(url);
        return a.isEmpty() ? "(default host)" : Redaction.text("//" + a).substring(2);
    }

    private static String authority(String url) {
        int start = url.indexOf("//") + 2;
        int end = start;
        while (end < url.length() && "/?;".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        return url.substring(start, end);
    }

    private static void checkPort(String host, String url) {
        int colon = host.startsWith("[") ? host.indexOf("]:") + 1 : host.lastIndexOf(':');
        if (colon <= 0 || (host.startsWith("[") && colon == 0)) {
            return; // no port: the driver's default
        }
        String port = host.substring(colon + 1);
        if (!host.startsWith("[") && host.indexOf(':') != colon && host.contains(".")) {
            port = host.substring(host.indexOf(':') + 1); // "127.0.0.1:5432:5433": not one port
        }
        boolean ok = !port.isEmpty() && port.length() <= 5 && port.chars().allMatch(Character::isDigit)
                && Integer.parseInt(port) >= 1 && Integer.parseInt(port) <= 65_535;
        if (!ok) {
            throw invalid("the port '" + Redaction.text(port) + "' in " + Redaction.text(url)
                    + " is not a number from 1 to 65535");
        }
    }

    private static TxkitException invalid(String message) {
        return TxkitException.of(ErrorCode.INVALID_ARGUMENT, message);
    }
}
