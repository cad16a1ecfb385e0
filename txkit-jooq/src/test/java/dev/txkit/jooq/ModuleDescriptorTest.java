package dev.txkit.jooq;

import org.junit.jupiter.api.Test;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Requires;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The module descriptor the build produced for txkit-jooq: it exports its one package and nothing
 * else, opens nothing, and brings txkit's core and jOOQ along (both are in its signatures).
 */
class ModuleDescriptorTest {

    private static ModuleDescriptor built() throws Exception {
        Path classes = Paths.get(TxkitTransactionProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return ModuleFinder.of(classes).findAll().iterator().next().descriptor();
    }

    @Test
    void exportsExactlyItsApiPackage() throws Exception {
        ModuleDescriptor d = built();
        assertThat(d.name()).isEqualTo("dev.txkit.jooq");
        assertThat(d.isAutomatic()).as("a real descriptor, not the Automatic-Module-Name").isFalse();
        assertThat(d.exports()).allSatisfy(e -> assertThat(e.isQualified()).as(e.toString()).isFalse());
        assertThat(d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()))
                .containsExactly("dev.txkit.jooq")
                .isEqualTo(d.packages());
        assertThat(d.opens()).isEmpty();
        assertThat(d.isOpen()).isFalse();
    }

    @Test
    void requiresCoreAndJooqTransitively() throws Exception {
        ModuleDescriptor d = built();
        for (String module : new String[]{"dev.txkit", "org.jooq"}) {
            assertThat(d.requires()).anySatisfy(r -> {
                assertThat(r.name()).isEqualTo(module);
                assertThat(r.modifiers()).contains(Requires.Modifier.TRANSITIVE);
            });
        }
        assertThat(d.requires()).extracting(Requires::name)
                .allMatch(n -> n.startsWith("java.") || n.equals("dev.txkit") || n.equals("org.jooq"),
                        "the JDK, txkit core and jOOQ only");
    }
}
