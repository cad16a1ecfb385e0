package dev.txkit.dialect;

import java.util.Locale;

/** Finds the {@link Dialect} for a JDBC URL or a product name. Thread-safe. */
public final class Dialects {
    public static final Dialect POSTGRES = new PostgresDialect();
    public static final Dialect COCKROACH = new CockroachDialect();
    public static final Dialect MARIADB = new MariaDbDialect();
    public static final Dialect H2 = new H2Dialect();
    public static final Dialect SQLITE = new SqliteDialect();

    private Dialects() {
    }

    /** The dialect for a JDBC URL, or {@code null} when the URL does not say. */
    public static Dialect forUrl(String jdbcUrl) {
        if (jdbcUrl == null) {
            return null;
        }
        String url = jdbcUrl.toLowerCase(Locale.ROOT);
        if (url.startsWith("jdbc:postgresql:")) {
            return POSTGRES;
        }
        if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
            return MARIADB;
        }
        if (url.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (url.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        return null;
    }

    /** The dialect for {@link java.sql.DatabaseMetaData#getDatabaseProductName()} and its version string. */
    public static Dialect forProduct(String productName, String productVersion) {
        String p = productName == null ? "" : productName.toLowerCase(Locale.ROOT);
        String v = productVersion == null ? "" : productVersion.toLowerCase(Locale.ROOT);
        if (p.contains("postgres")) {
            return v.contains("cockroach") ? COCKROACH : POSTGRES;
        }
        if (p.contains("mariadb") || p.contains("mysql")) {
            return MARIADB;
        }
        if (p.equals("h2")) {
            return H2;
        }
        if (p.contains("sqlite")) {
            return SQLITE;
        }
        return new GenericDialect(productName == null ? "unknown" : productName);
    }
}
