package dev.txkit.benchmarks.harness;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/** The engines the harness knows how to set up and clean between cells. */
public enum DbKind {
    POSTGRES("postgresql"),
    MARIADB("mariadb"),
    H2("h2");

    /** The name used in the CSV's {@code db} column. */
    public final String label;

    DbKind(String label) {
        this.label = label;
    }

    /** The engine behind {@code c}, from its metadata. */
    public static DbKind of(Connection c) throws SQLException {
        String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.contains("postgres")) {
            return POSTGRES;
        }
        if (product.contains("mariadb") || product.contains("mysql")) {
            return MARIADB;
        }
        if (product.contains("h2")) {
            return H2;
        }
        throw new IllegalArgumentException("the harness supports PostgreSQL, MariaDB and H2, not " + product);
    }
}
