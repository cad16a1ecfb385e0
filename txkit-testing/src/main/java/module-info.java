/**
 * txkit's test kit: throw-away databases, the JUnit 5 extension, races, interleavings and fault
 * injection. Exports {@code dev.txkit.testing}.
 *
 * <p>HikariCP and JUnit Jupiter's API appear in its signatures, so they come along
 * ({@code requires transitive}). The JDBC drivers are never named: {@code DriverManager} finds them as
 * {@code java.sql.Driver} services on the module path. Embedded PostgreSQL is optional
 * ({@code requires static}); it has no module name of its own, so it is known by the one its jar name
 * gives, {@code embedded.postgres}.
 */
module dev.txkit.testing {
    requires transitive dev.txkit;
    requires transitive com.zaxxer.hikari;
    requires transitive org.junit.jupiter.api;
    requires static embedded.postgres;

    exports dev.txkit.testing;
}
