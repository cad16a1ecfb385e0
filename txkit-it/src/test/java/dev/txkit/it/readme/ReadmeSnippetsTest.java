package dev.txkit.it.readme;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code ```java} block in the repository's Markdown files is the tagged region of a compiled
 * test (see {@link ReadmeSnippets}); and the checker itself catches each way a block can rot, on
 * throw-away files.
 */
class ReadmeSnippetsTest {
    private static final Path ROOT = ReadmeSnippets.findRoot(Path.of(""));

    @Test
    void everyJavaBlockInTheRepositorysMarkdownIsCutFromATestRegion() {
        List<ReadmeSnippets.Problem> problems = ReadmeSnippets.check(ROOT);

        assertThat(problems).as("java blocks out of sync with their test regions (fix the region, then run"
                + " txkit-it/update-readme-snippets)").isEmpty();
    }

    @Test
    void theRootReadmeHasMarkedJavaBlocks() throws IOException {
        long markers = Files.readAllLines(ROOT.resolve("README.md")).stream()
                .filter(l -> ReadmeSnippets.MARKER.matcher(l).matches()).count();

        assertThat(markers).as("the README's java blocks are all checked, not skipped").isGreaterThanOrEqualTo(10);
    }

    // --- the checker on throw-away repositories ---

    @TempDir
    Path repo;

    private void write(String path, String... lines) throws IOException {
        Path p = repo.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, String.join("\n", lines) + "\n");
    }

    private String read(String path) throws IOException {
        return Files.readString(repo.resolve(path));
    }

    private void sampleTest() throws IOException {
        write("mod/src/test/java/x/SampleIT.java",
                "class SampleIT {",
                "    // tag::pitch[]",
                "    record Seat(long id) {",
                "    }",
                "    // end::pitch[]",
                "",
                "    void run() {",
                "        Object setup = null;",
                "        // tag::pitch[]",
                "        Seat s = new Seat(1);",
                "        // tag::other[]",
                "        s.id();",
                "        // end::other[]",
                "        // end::pitch[]",
                "        check(s);",
                "    }",
                "}");
    }

    private static final String[] PITCH = {
            "record Seat(long id) {",
            "}",
            "Seat s = new Seat(1);",
            "s.id();"};

    private void readme(String marker, String... body) throws IOException {
        String[] lines = new String[body.length + 6];
        lines[0] = "# Title";
        lines[1] = "Prose stays.";
        lines[2] = marker;
        lines[3] = "```java";
        System.arraycopy(body, 0, lines, 4, body.length);
        lines[body.length + 4] = "```";
        lines[body.length + 5] = "```bash\nmvn verify\n```";
        write("README.md", lines);
    }

    @Test
    void aBlockEqualToItsRegionPasses_spansJoinedEachDedentedOtherTagsDropped() throws IOException {
        sampleTest();
        readme("<!-- snippet: SampleIT#pitch -->", PITCH);

        assertThat(ReadmeSnippets.check(repo)).isEmpty();
    }

    @Test
    void aChangedBlockFailsNamingTheLineTheRegionAndTheFile() throws IOException {
        sampleTest();
        readme("<!-- snippet: SampleIT#pitch -->", "record Seat(long id) {", "}", "Seat s = new Seat(2);", "s.id();");

        assertThat(ReadmeSnippets.check(repo)).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo(Path.of("README.md"));
            assertThat(p.line()).isEqualTo(7);
            assertThat(p.message()).contains("differs from its region SampleIT#pitch")
                    .contains("mod/src/test/java/x/SampleIT.java").contains("Seat s = new Seat(2);")
                    .contains("Seat s = new Seat(1);");
        });
    }

    @Test
    void aBlockWithoutAMarkerFails() throws IOException {
        sampleTest();
        readme("", PITCH);

        assertThat(ReadmeSnippets.check(repo)).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(4);
            assertThat(p.message()).startsWith("java block without a snippet marker");
        });
    }

    @Test
    void anUnknownClassOrTagAndAnUnclosedRegionFail() throws IOException {
        sampleTest();
        readme("<!-- snippet: NoSuchIT#pitch -->", PITCH);
        assertThat(ReadmeSnippets.check(repo)).singleElement().satisfies(p ->
                assertThat(p.message()).contains("no source file NoSuchIT.java"));

        readme("<!-- snippet: SampleIT#nosuch -->", PITCH);
        assertThat(ReadmeSnippets.check(repo)).singleElement().satisfies(p ->
                assertThat(p.message()).contains("no region tag::nosuch[]"));

        write("mod/src/test/java/x/OpenIT.java", "class OpenIT {", "    // tag::open[]", "}");
        readme("<!-- snippet: OpenIT#open -->", "}");
        assertThat(ReadmeSnippets.check(repo)).singleElement().satisfies(p ->
                assertThat(p.toString()).contains("OpenIT.java:2").contains("has no end::open[]"));
    }

    @Test
    void aMarkerNotAboveAJavaBlockFails() throws IOException {
        write("docs/guide.md", "<!-- snippet: SampleIT#pitch -->", "", "```java", "x();", "```");
        sampleTest();

        List<ReadmeSnippets.Problem> problems = ReadmeSnippets.check(repo);

        assertThat(problems).extracting(ReadmeSnippets.Problem::message)
                .containsExactly("snippet marker not directly above a ```java block",
                        "java block without a snippet marker: put <!-- snippet: ClassName#tag --> on the line above"
                                + " it, naming a tagged region of a test that compiles and runs this code");
    }

    @Test
    void updateRewritesOnlyTheBlocksAndIsIdempotent() throws IOException {
        sampleTest();
        readme("<!-- snippet: SampleIT#pitch -->", "stale();");
        write("target/ignored.md", "```java", "not checked: build output", "```");

        assertThat(ReadmeSnippets.update(repo)).containsExactly(Path.of("README.md"));

        assertThat(read("README.md")).isEqualTo(String.join("\n", "# Title", "Prose stays.",
                "<!-- snippet: SampleIT#pitch -->", "```java", String.join("\n", PITCH), "```",
                "```bash", "mvn verify", "```", ""));
        assertThat(ReadmeSnippets.check(repo)).isEmpty();
        assertThat(ReadmeSnippets.update(repo)).isEmpty();
    }

    @Test
    void codeInsideOtherFencedBlocksIsNotABlockOrAMarker() throws IOException {
        sampleTest();
        write("README.md", "````markdown", "<!-- snippet: SampleIT#pitch -->", "```java", "anything", "```", "````");

        assertThat(ReadmeSnippets.check(repo)).isEmpty();
    }
}
