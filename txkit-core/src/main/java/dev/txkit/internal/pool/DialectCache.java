package dev.txkit.internal.pool;

import dev.txkit.dialect.Dialect;
import dev.txkit.dialect.Dialects;
import dev.txkit.dialect.GenericDialect;
import dev.txkit.internal.jdbc.Errors;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The dialect of one Database: given, read from the JDBC URL, or asked of the database on first
 * use and then remembered. Thread-safe (a benign race: every thread finds the same dialect).
 */
public final class DialectCache {
    private final PoolGuard pool;
    private final Duration maxWait;
    private final boolean showValues;
    private volatile Dialect dialect;

    public DialectCache(Dialect known, PoolGuard pool, Duration maxWait, boolean showValues) {
        this.dialect = known;
        this.pool = pool;
        this.maxWait = maxWait;
        this.showValues = showValues;
    }

    /** The dialect, reading the product from {@code c} if it is not known yet. */
    public Dialect of(Connection c) throws SQLException {
        Dialect d = dialect;
        if (d == null) {
            DatabaseMetaData meta = c.getMetaData();
            d = Dialects.forProduct(meta.getDatabaseProductName(), meta.getDatabaseProductVersion());
            dialect = d;
        }
        return d;
    }

    /** The dialect if known, else a generic one (for messages and classification before first contact). */
    public Dialect orGeneric() {
        Dialect d = dialect;
        return d != null ? d : new GenericDialect("unknown database");
    }

    /** The dialect, asking the database if it is not known yet. */
    public Dialect resolve() {
        Dialect d = dialect;
        if (d != null) {
            return d;
        }
        try (Connection c = pool.acquire(maxWait)) {
            return of(c);
        } catch (SQLException e) {
            throw Errors.translate(orGeneric(), e, null, false, showValues);
        }
    }
}
