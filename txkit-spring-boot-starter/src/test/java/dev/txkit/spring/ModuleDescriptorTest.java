package dev.txkit.spring;

import org.junit.jupiter.api.Test;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Requires;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The module descriptor the build produced for the starter: it exports its one package, opens it only
 * to the Spring modules that instantiate the auto-configuration by reflection, requires Spring by the
 * Automatic-Module-Names of its jars, and keeps the parts the POM marks optional (web, Boot's
 * transaction support, Micrometer, txkit-micrometer) {@code static}.
 */
class ModuleDescriptorTest {

    private static ModuleDescriptor built() throws Exception {
        Path classes = Paths.get(TxkitAutoConfiguration.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return ModuleFinder.of(classes).findAll().iterator().next().descriptor();
    }

    @Test
    void exportsExactlyItsApiPackage() throws Exception {
        ModuleDescriptor d = built();
        assertThat(d.name()).isEqualTo("dev.txkit.spring");
        assertThat(d.isAutomatic()).as("a real descriptor, not the Automatic-Module-Name").isFalse();
        assertThat(d.exports()).allSatisfy(e -> assertThat(e.isQualified()).as(e.toString()).isFalse());
        assertThat(d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()))
                .containsExactly("dev.txkit.spring")
                .isEqualTo(d.packages());
        assertThat(d.isOpen()).isFalse();
    }

    @Test
    void opensItsPackageOnlyToSpringsReflectingModules() throws Exception {
        ModuleDescriptor d = built();
        assertThat(d.opens()).singleElement().satisfies(o -> {
            assertThat(o.source()).isEqualTo("dev.txkit.spring");
            assertThat(o.targets()).containsExactlyInAnyOrder("spring.core", "spring.beans", "spring.context");
        });
    }

    @Test
    void requiresSpringByModuleNameAndTheOptionalPartsStatically() throws Exception {
        Map<String, Set<Requires.Modifier>> requires = built().requires().stream()
                .collect(Collectors.toMap(Requires::name, Requires::modifiers));
        assertThat(requires.get("dev.txkit")).contains(Requires.Modifier.TRANSITIVE);
        for (String mandatory : new String[]{"spring.aop", "spring.beans", "spring.boot", "spring.boot.autoconfigure",
                "spring.context", "spring.core", "spring.jdbc", "spring.tx"}) {
            assertThat(requires.get(mandatory)).as(mandatory).isNotNull().doesNotContain(Requires.Modifier.STATIC);
        }
        for (String optional : new String[]{"spring.boot.transaction", "spring.web", "micrometer.core",
                "dev.txkit.micrometer"}) {
            assertThat(requires.get(optional)).as(optional).isNotNull().contains(Requires.Modifier.STATIC);
        }
    }
}
