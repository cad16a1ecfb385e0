package dev.txkit.bomcheck;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The contents of txkit-bom, read from the poms with the JDK's XML parser. The BOM must not inherit
 * txkit-parent: a parent's dependencyManagement (Jackson, Spring, HikariCP, JUnit, drivers, …) would be
 * imported along with it and override the application's own versions, which is what broke Spring Boot
 * applications. It must manage txkit's published modules, all of them and nothing else, at txkit's
 * version, and carry the metadata a published pom needs itself since it inherits none.
 */
class BomContentsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static Element bom;
    private static Element parent;

    @BeforeAll
    static void read() throws Exception {
        bom = pom(ROOT.resolve("txkit-bom/pom.xml"));
        parent = pom(ROOT.resolve("pom.xml"));
    }

    @Test
    void hasNoParent() {
        assertNull(child(bom, "parent"), "txkit-bom/pom.xml must not have a <parent>: its dependencyManagement"
                + " would be imported with the BOM and override the application's versions");
    }

    @Test
    void hasTxkitsCoordinatesAndTheParentsVersion() {
        assertAll(
                () -> assertEquals("dev.txkit", text(bom, "groupId")),
                () -> assertEquals("txkit-bom", text(bom, "artifactId")),
                () -> assertEquals("pom", text(bom, "packaging")),
                () -> assertEquals(text(parent, "version"), text(bom, "version"),
                        "txkit-bom's literal version must follow txkit-parent's"));
    }

    @Test
    void managesExactlyThePublishedModulesAndNothingElse() throws Exception {
        List<String> problems = new ArrayList<>();
        TreeSet<String> managed = new TreeSet<>();
        for (Element d : children(child(child(bom, "dependencyManagement"), "dependencies"), "dependency")) {
            String ga = text(d, "groupId") + ":" + text(d, "artifactId");
            if (!"dev.txkit".equals(text(d, "groupId"))) {
                problems.add(ga + " is not a txkit artifact");
            }
            if (!"${project.version}".equals(text(d, "version"))) {
                problems.add(ga + " has version " + text(d, "version") + " instead of ${project.version}");
            }
            if (text(d, "scope") != null || text(d, "type") != null) {
                problems.add(ga + " has a scope or type (an imported BOM would bring foreign versions)");
            }
            managed.add(text(d, "artifactId"));
        }
        assertEquals(List.of(), problems);
        assertEquals(publishedModules(), managed, "txkit-bom must manage every published module, and only those");
    }

    @Test
    void managesNothingOutsideDependencyManagement() {
        assertAll(
                () -> assertNull(child(bom, "dependencies"), "a BOM has no dependencies of its own"),
                () -> assertNull(child(bom, "repositories"), "a BOM must not add repositories to its users"));
    }

    @Test
    void carriesItsOwnPublicationMetadata() {
        Element license = child(child(bom, "licenses"), "license");
        Element scm = child(bom, "scm");
        assertAll(
                () -> assertFalse(text(bom, "name").isBlank()),
                () -> assertFalse(text(bom, "description").isBlank()),
                () -> assertTrue(text(bom, "url").startsWith("https://")),
                () -> assertEquals("Apache-2.0", text(license, "name")),
                () -> assertTrue(text(license, "url").contains("apache.org/licenses/LICENSE-2.0")),
                () -> assertTrue(text(scm, "connection").startsWith("scm:git:")),
                () -> assertTrue(text(scm, "url").startsWith("https://")),
                () -> assertFalse(text(child(child(bom, "developers"), "developer"), "name").isBlank()));
    }

    @Test
    void staysAModuleOfTheRootReactor() {
        List<String> modules = children(child(parent, "modules"), "module").stream().map(Node::getTextContent).toList();
        assertTrue(modules.contains("txkit-bom"), "root modules: " + modules);
    }

    @Test
    void theConsumerCheckUsesTxkitsVersionAndTheStartersBootVersion() throws Exception {
        Element check = pom(ROOT.resolve("txkit-bom-check/pom.xml"));
        Element consumer = pom(ROOT.resolve("txkit-bom-check/src/it/spring-boot-consumer/pom.xml"));
        Element starter = pom(ROOT.resolve("txkit-spring-boot-starter/pom.xml"));
        String boot = text(child(starter, "properties"), "spring-boot.version");
        assertAll(
                // The consumer imports txkit-bom:@project.version@, i.e. this module's version.
                () -> assertEquals(text(parent, "version"), text(check, "version")),
                () -> assertEquals(boot, text(child(check, "parent"), "version")),
                () -> assertEquals(boot, text(child(consumer, "parent"), "version")),
                () -> assertEquals("spring-boot-starter-parent", text(child(consumer, "parent"), "artifactId")));
    }

    /** Root modules whose artifact is deployed: jar modules without maven.deploy.skip. */
    private static TreeSet<String> publishedModules() throws Exception {
        TreeSet<String> published = new TreeSet<>();
        for (Element m : children(child(parent, "modules"), "module")) {
            Path pomFile = ROOT.resolve(m.getTextContent().trim()).resolve("pom.xml");
            assertTrue(Files.isRegularFile(pomFile), pomFile + " (a root module) does not exist");
            Element module = pom(pomFile);
            String packaging = text(module, "packaging");
            Element properties = child(module, "properties");
            boolean skipped = properties != null && "true".equals(text(properties, "maven.deploy.skip"));
            if ((packaging == null || packaging.equals("jar")) && !skipped) {
                published.add(text(module, "artifactId"));
            }
        }
        assertTrue(published.contains("txkit-core"), "published modules found: " + published);
        return published;
    }

    private static Element pom(Path file) throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        return doc.getDocumentElement();
    }

    /** The first direct child element named {@code name}, or null. */
    private static Element child(Element parent, String name) {
        return children(parent, name).stream().findFirst().orElse(null);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        if (parent == null) {
            return found;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                found.add(e);
            }
        }
        return found;
    }

    /** Trimmed text of the direct child {@code name}, or null when there is none. */
    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent().trim();
    }
}
