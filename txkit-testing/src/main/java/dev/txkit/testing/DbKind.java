package dev.txkit.testing;

/**
 * The database engines a {@link TestDatabase} can be created on.
 *
 * <p>Immutable enum; thread-safe.
 */
public enum DbKind {
    /** PostgreSQL: the local server on 127.0.0.1:5432 if reachable, else an embedded one. */
    POSTGRES,
    /** MariaDB: the local server on 127.0.0.1:3306 (tests are skipped if it is unreachable). */
    MARIADB,
    /** H2, in memory, default (H2) mode. */
    H2,
    /** SQLite, a file in {@code java.io.tmpdir}. */
    SQLITE
}
