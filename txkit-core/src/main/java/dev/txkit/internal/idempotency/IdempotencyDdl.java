package dev.txkit.internal.idempotency;

import dev.txkit.TxkitException;
import dev.txkit.dialect.Dialect;
import dev.txkit.dialect.H2Dialect;
import dev.txkit.dialect.MariaDbDialect;
import dev.txkit.dialect.PostgresDialect;
import dev.txkit.dialect.SqliteDialect;
import dev.txkit.internal.jdbc.SqlImpl;
import dev.txkit.internal.jdbc.StatementExecutor;

import java.util.List;

/**
 * The DDL of the idempotency table per database (documented in the README). Times are epoch
 * milliseconds from the application's clock, which keeps the table identical on every database.
 * Keys compare exactly: MariaDB gets a binary collation, as its default one ignores case.
 */
final class IdempotencyDdl {
    enum Family { POSTGRES, MARIADB, H2, SQLITE, OTHER }

    private IdempotencyDdl() {
    }

    static Family family(Dialect d) {
        if (d instanceof PostgresDialect) {
            return Family.POSTGRES; // CockroachDB included
        }
        if (d instanceof MariaDbDialect) {
            return Family.MARIADB;
        }
        if (d instanceof H2Dialect) {
            return Family.H2;
        }
        if (d instanceof SqliteDialect) {
            return Family.SQLITE;
        }
        return Family.OTHER;
    }

    static List<String> statements(Dialect d) {
        String t = Idempotency.TABLE;
        switch (family(d)) {
            case MARIADB:
                return List.of("CREATE TABLE IF NOT EXISTS " + t + " ("
                        + "idem_key VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL PRIMARY KEY, "
                        + "fingerprint CHAR(64) NOT NULL, result MEDIUMTEXT, created_at BIGINT NOT NULL, "
                        + "expires_at BIGINT NOT NULL, INDEX " + t + "_expires (expires_at)) ENGINE=InnoDB");
            case SQLITE:
                return List.of("CREATE TABLE IF NOT EXISTS " + t + " (idem_key TEXT NOT NULL PRIMARY KEY, "
                                + "fingerprint TEXT NOT NULL, result TEXT, created_at INTEGER NOT NULL, "
                                + "expires_at INTEGER NOT NULL)",
                        "CREATE INDEX IF NOT EXISTS " + t + "_expires ON " + t + " (expires_at)");
            case H2:
                return List.of("CREATE TABLE IF NOT EXISTS " + t + " (idem_key VARCHAR(255) NOT NULL PRIMARY KEY, "
                                + "fingerprint CHAR(64) NOT NULL, result CHARACTER VARYING, created_at BIGINT NOT NULL, "
                                + "expires_at BIGINT NOT NULL)",
                        "CREATE INDEX IF NOT EXISTS " + t + "_expires ON " + t + " (expires_at)");
            default:
                return List.of("CREATE TABLE IF NOT EXISTS " + t + " (idem_key VARCHAR(255) NOT NULL PRIMARY KEY, "
                                + "fingerprint CHAR(64) NOT NULL, result TEXT, created_at BIGINT NOT NULL, "
                                + "expires_at BIGINT NOT NULL)",
                        "CREATE INDEX IF NOT EXISTS " + t + "_expires ON " + t + " (expires_at)");
        }
    }

    /**
     * Runs the DDL in autocommit. Two processes creating the table at once can make PostgreSQL
     * report a duplicate catalog entry; if the table is usable afterwards, that failure is moot.
     */
    static void create(StatementExecutor autocommit, Dialect d) {
        for (String ddl : statements(d)) {
            try {
                new SqlImpl(autocommit, ddl, new Object[0]).update();
            } catch (TxkitException e) {
                try {
                    new SqlImpl(autocommit, "SELECT COUNT(*) FROM " + Idempotency.TABLE + " WHERE 1 = 0",
                            new Object[0]).one(Long.class);
                } catch (TxkitException notThere) {
                    e.addSuppressed(notThere);
                    throw e;
                }
            }
        }
    }
}
