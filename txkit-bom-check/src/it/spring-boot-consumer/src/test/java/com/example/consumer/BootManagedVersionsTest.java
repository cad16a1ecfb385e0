package com.example.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * What the old txkit-bom did: importing it moved versions that Boot's parent manages (it carried
 * txkit-parent's pins of jackson-databind, spring-jdbc, HikariCP, H2, JUnit, …). Every library listed
 * in boot-managed.properties must be on the test class path at Boot's version, and Jackson 2's
 * databind and annotations must be of one release.
 */
class BootManagedVersionsTest {

    @Test
    void everyLibraryIsAtTheVersionBootManages() throws Exception {
        Properties expected = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/boot-managed.properties")) {
            expected.load(in);
        }
        TreeMap<String, String> actual = new TreeMap<>();
        List<String> moved = new ArrayList<>();
        for (String ga : new TreeSet<>(expected.stringPropertyNames())) {
            String want = expected.getProperty(ga);
            assertThat(want).as("filtered version of " + ga).doesNotContain("@");
            String got = versionOnClassPath(ga);
            actual.put(ga, got);
            if (!want.equals(got)) {
                moved.add(ga + " " + got + " instead of Boot's " + want);
            }
        }
        assertThat(moved).as("versions on the test class path " + actual).isEmpty();
    }

    @Test
    void jackson2DatabindAndAnnotationsAreOfOneRelease() throws Exception {
        String databind = versionOnClassPath("com.fasterxml.jackson.core:jackson-databind");
        String annotations = versionOnClassPath("com.fasterxml.jackson.core:jackson-annotations");
        // Since 2.20 jackson-annotations has minor versions only ("2.21" goes with databind 2.21.x).
        String line = databind.substring(0, databind.indexOf('.', databind.indexOf('.') + 1));
        assertThat(annotations).as("jackson-annotations next to jackson-databind " + databind).isEqualTo(line);
        // And it works: serializing is where a mismatched pair failed (NoClassDefFoundError: JsonSerializeAs).
        record Entry(String name, long count) { }
        assertThat(new ObjectMapper().writeValueAsString(new Entry("ada", 1)))
                .isEqualTo("{\"name\":\"ada\",\"count\":1}");
    }

    /** The version of groupId:artifactId on the test class path, read from its path in the local repository. */
    static String versionOnClassPath(String ga) {
        String[] parts = ga.split(":");
        String dir = File.separator + parts[0].replace('.', File.separatorChar) + File.separator + parts[1]
                + File.separator;
        String found = null;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            int at = entry.indexOf(dir);
            if (at >= 0 && entry.endsWith(".jar")) {
                int start = at + dir.length();
                String version = entry.substring(start, entry.indexOf(File.separatorChar, start));
                assertThat(found).as("two versions of " + ga + " on the class path").isNull();
                found = version;
            }
        }
        assertThat(found).as(ga + " on the test class path").isNotNull();
        return found;
    }
}
