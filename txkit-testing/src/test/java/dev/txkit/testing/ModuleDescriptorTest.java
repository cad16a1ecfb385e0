package dev.txkit.testing;

import org.junit.jupiter.api.Test;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Requires;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The module descriptor the build produced for txkit-testing: it exports its one package and nothing
 * else, opens nothing, brings HikariCP and JUnit Jupiter's API along (they are in its signatures) and
 * names no JDBC driver (DriverManager finds them as services); embedded PostgreSQL stays optional.
 */
class ModuleDescriptorTest {

    private static ModuleDescriptor built() throws Exception {
        Path classes = Paths.get(TestDatabases.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleReference ref = ModuleFinder.of(classes).findAll().iterator().next();
        return ref.descriptor();
    }

    @Test
    void exportsExactlyItsApiPackage() throws Exception {
        ModuleDescriptor d = built();
        assertThat(d.name()).isEqualTo("dev.txkit.testing");
        assertThat(d.isAutomatic()).as("a real descriptor, not the Automatic-Module-Name").isFalse();
        assertThat(d.exports()).allSatisfy(e -> assertThat(e.isQualified()).as(e.toString()).isFalse());
        assertThat(d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()))
                .containsExactly("dev.txkit.testing")
                .isEqualTo(d.packages());
        assertThat(d.opens()).isEmpty();
        assertThat(d.isOpen()).isFalse();
    }

    @Test
    void signatureDependenciesAreTransitiveEmbeddedPostgresIsOptionalAndNoDriverIsNamed() throws Exception {
        ModuleDescriptor d = built();
        assertThat(modifiers(d, "dev.txkit")).contains(Requires.Modifier.TRANSITIVE);
        assertThat(modifiers(d, "com.zaxxer.hikari")).contains(Requires.Modifier.TRANSITIVE);
        assertThat(modifiers(d, "org.junit.jupiter.api")).contains(Requires.Modifier.TRANSITIVE);
        assertThat(modifiers(d, "embedded.postgres")).containsExactly(Requires.Modifier.STATIC);
        assertThat(d.requires()).extracting(Requires::name)
                .doesNotContain("org.postgresql.jdbc", "org.mariadb.jdbc", "com.h2database", "org.xerial.sqlitejdbc");
    }

    private static Set<Requires.Modifier> modifiers(ModuleDescriptor d, String module) {
        return d.requires().stream().filter(r -> r.name().equals(module)).findFirst()
                .orElseThrow(() -> new AssertionError(d.name() + " does not require " + module + ": " + d.requires()))
                .modifiers();
    }
}
