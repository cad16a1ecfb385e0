package dev.txkit.dialect;

import java.util.Locale;

/** Finds the {@link Dialect} for a JDBC URL or a product name. Thread-safe. */
public final class Dialects {
    /** PostgreSQL (see {@link PostgresDialect}). */
    public static final Dialect POSTGRES = new PostgresDialect();
    /** CockroachDB, which speaks PostgreSQL's protocol and runs every transaction SERIALIZABLE. */
    public static final Dialect COCKROACH = new CockroachDialect();
    /** MariaDB (and MySQL, which shares its error codes), including Galera clusters. */
    public static final Dialect MARIADB = new MariaDbDialect();
    /** H2, embedded (see {@link H2Dialect}). */
    public static final Dialect H2 = new H2Dialect();
    /** SQLite, embedded (see {@link SqliteDialect}): SERIALIZABLE only and no row locks. */
    public static final Dialect SQLITE = new SqliteDialect();

    private Dialects() {
    }

    /**
     * The dialect for a JDBC URL, from its scheme ({@code jdbc:postgresql:}, {@code jdbc:mariadb:} or
     * {@code jdbc:mysql:}, {@code jdbc:h2:}, {@code jdbc:sqlite:}).
     *
     * @param jdbcUrl the URL, or {@code null}
     * @return the dialect, or {@code null} when the URL does not say (CockroachDB uses PostgreSQL's URLs)
     */
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

    /**
     * The dialect for what the driver reports about the database.
     *
     * @param productName {@link java.sql.DatabaseMetaData#getDatabaseProductName()}, or {@code null}
     * @param productVersion {@link java.sql.DatabaseMetaData#getDatabaseProductVersion()}, or {@code null}
     * @return the matching dialect; a {@link GenericDialect} for any other product, never {@code null}
     */
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
