package dev.txkit;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sealed edge, read from the module descriptor the build produced: only API and SPI packages are
 * exported, nothing under {@code dev.txkit.internal} is exported or opened, HikariCP stays optional.
 */
class ModuleDescriptorTest {

    private static ModuleDescriptor built() throws Exception {
        Path classes = Paths.get(Database.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            return ModuleDescriptor.read(in);
        }
    }

    @Test
    void exportsOnlyTheApiAndSpiPackages() throws Exception {
        ModuleDescriptor d = built();
        assertThat(d.name()).isEqualTo("dev.txkit");
        assertThat(d.exports()).allSatisfy(e -> assertThat(e.isQualified()).as(e.toString()).isFalse());
        assertThat(d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("dev.txkit", "dev.txkit.retry", "dev.txkit.table", "dev.txkit.dialect",
                        "dev.txkit.spi");
    }

    @Test
    void noInternalPackageIsExportedOrOpened() throws Exception {
        ModuleDescriptor d = built();
        Module module = Database.class.getModule();
        Set<String> internal = module.getPackages().stream().filter(p -> p.startsWith("dev.txkit.internal"))
                .collect(Collectors.toSet());
        assertThat(internal).as("the module holds the internal packages").contains("dev.txkit.internal",
                "dev.txkit.internal.tx", "dev.txkit.internal.jdbc");
        assertThat(internal).allSatisfy(p -> assertThat(module.isExported(p)).as(p).isFalse());
        assertThat(d.exports()).noneMatch(e -> e.source().startsWith("dev.txkit.internal"));
        assertThat(d.opens()).noneMatch(o -> o.source().startsWith("dev.txkit.internal"));
        assertThat(d.isOpen()).isFalse();
    }

    @Test
    void hikariIsOptionalAndJdbcComesWithTheModule() throws Exception {
        ModuleDescriptor d = built();
        assertThat(d.requires()).anySatisfy(r -> {
            assertThat(r.name()).isEqualTo("com.zaxxer.hikari");
            assertThat(r.modifiers()).contains(ModuleDescriptor.Requires.Modifier.STATIC);
        });
        assertThat(d.requires()).anySatisfy(r -> {
            assertThat(r.name()).isEqualTo("java.sql");
            assertThat(r.modifiers()).contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE);
        });
        assertThat(d.requires()).extracting(ModuleDescriptor.Requires::name)
                .allMatch(n -> n.startsWith("java.") || n.equals("com.zaxxer.hikari"), "JDK modules and HikariCP only");
    }

    /** Surefire patches the tests into the module, so the internal packages' tests run where the code runs. */
    @Test
    void testsRunInsideTheNamedModule() {
        assertThat(ModuleDescriptorTest.class.getModule().getName()).isEqualTo("dev.txkit");
        assertThat(Database.class.getModule().getDescriptor().exports()).hasSize(5);
    }
}
