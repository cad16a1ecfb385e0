package dev.txkit.it.structure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every package under a {@code src/main/java} of the repository, in every module (published or not),
 * has a {@code package-info.java} whose doc comment says what the package holds. Read from the source
 * tree with the JDK only, so a new package without one fails the build.
 */
class PackageDocsTest {
    /** A doc comment with some text in it, then the package declaration. */
    private static final Pattern DOCUMENTED = Pattern.compile("(?s)\\s*/\\*\\*\\s*(?:\\*\\s*)*[A-Za-z{].*?\\*/\\s*(?:@\\S+\\s*)*package\\s+[\\w.]+\\s*;.*");
    private static final Set<String> SKIPPED = Set.of("target", ".git", "node_modules", "src");

    @Test
    void everyMainPackageOfEveryModuleHasADocumentedPackageInfo() {
        Path root = Paths.get("..").toAbsolutePath().normalize();
        assertThat(root.resolve("txkit-core/src/main/java")).as("run from txkit-it inside the repository").isDirectory();
        List<Path> sourceRoots = sourceRoots(root);
        assertThat(sourceRoots).as("src/main/java roots under %s", root)
                .contains(root.resolve("txkit-core/src/main/java"), root.resolve("txkit-spring-boot-starter/src/main/java"),
                        root.resolve("txkit-benchmarks/src/main/java"), root.resolve("txkit-examples/wallet-service/src/main/java"))
                .hasSizeGreaterThanOrEqualTo(8);
        TreeMap<String, Set<String>> packages = new TreeMap<>();
        TreeSet<String> problems = new TreeSet<>();
        for (Path src : sourceRoots) {
            String module = root.relativize(src.getParent().getParent().getParent()).toString();
            packages.put(module, packagesOf(src));
            problems.addAll(undocumented(src).stream().map(p -> module + ": " + p).collect(Collectors.toList()));
        }
        assertThat(packages.get("txkit-core")).contains("dev.txkit", "dev.txkit.spi", "dev.txkit.internal.tx");
        assertThat(problems).as("packages without a package-info.java doc comment").isEmpty();
    }

    @Test
    void theCheckFindsAPackageWithoutPackageInfoOrWithoutADocComment(@TempDir Path tmp) throws IOException {
        Path src = tmp.resolve("m/src/main/java");
        write(src.resolve("a/package-info.java"), "/**\n * Holds A.\n */\npackage a;\n");
        write(src.resolve("a/A.java"), "package a; public class A {}\n");
        write(src.resolve("a/b/B.java"), "package a.b; class B {}\n");
        write(src.resolve("a/c/package-info.java"), "// just a line comment\npackage a.c;\n");
        write(src.resolve("a/c/C.java"), "package a.c; class C {}\n");
        write(src.resolve("a/d/package-info.java"), "/** Holds D. */\n@Deprecated\npackage a.d;\n");
        write(src.resolve("a/d/D.java"), "package a.d; class D {}\n");
        write(src.resolve("module-info.java"), "module m { exports a; }\n");
        write(tmp.resolve("m/target/generated/src/main/java/g/G.java"), "package g; class G {}\n");

        assertThat(sourceRoots(tmp)).containsExactly(src);
        assertThat(packagesOf(src)).containsExactly("a", "a.b", "a.c", "a.d");
        assertThat(undocumented(src)).containsExactly("a.b (no package-info.java)", "a.c (no doc comment)");
    }

    /** Every {@code src/main/java} directory below {@code root}, outside build output. */
    static List<Path> sourceRoots(Path root) {
        try (Stream<Path> dirs = Files.walk(root, 6)) {
            return dirs.filter(Files::isDirectory)
                    .filter(d -> d.endsWith(Paths.get("src", "main", "java")))
                    .filter(d -> noSkippedPart(root.relativize(d.getParent().getParent().getParent())))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean noSkippedPart(Path relative) {
        for (Path part : relative) {
            if (SKIPPED.contains(part.toString())) {
                return false;
            }
        }
        return true;
    }

    /** The packages of {@code src}: directories holding a Java type (module-info is no package). */
    static Set<String> packagesOf(Path src) {
        try (Stream<Path> files = Files.walk(src)) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> !f.getFileName().toString().equals("package-info.java"))
                    .filter(f -> !f.getParent().equals(src))
                    .map(f -> src.relativize(f.getParent()).toString().replace(f.getFileSystem().getSeparator(), "."))
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The packages of {@code src} without a package-info.java, or whose package-info has no doc comment. */
    static Set<String> undocumented(Path src) {
        Set<String> out = new TreeSet<>();
        for (String p : packagesOf(src)) {
            Path info = src.resolve(p.replace('.', '/')).resolve("package-info.java");
            if (!Files.isRegularFile(info)) {
                out.add(p + " (no package-info.java)");
            } else if (!DOCUMENTED.matcher(read(info)).matches()) {
                out.add(p + " (no doc comment)");
            }
        }
        return out;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
