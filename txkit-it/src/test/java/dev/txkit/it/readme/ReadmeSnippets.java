package dev.txkit.it.readme;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Keeps the Java code in the repository's Markdown files cut from compiled, running tests, so the
 * examples cannot rot (JDBI's docs do the same with AsciiDoc includes).
 *
 * <p>Every {@code ```java} block must sit right below a marker line naming a tagged region of a test
 * source file:
 * <pre>
 * &lt;!-- snippet: ReadmeUsageIT#usage --&gt;
 * ```java
 * …
 * ```
 * </pre>
 * The region is the text between {@code // tag::usage[]} and {@code // end::usage[]} lines in the one
 * {@code ReadmeUsageIT.java} under a {@code src} folder of the repository. A tag may open and close
 * several times in a file; its spans are joined in order (so a test can keep setup or an assertion
 * out of the middle of a snippet). Each span loses its common indentation, tag lines of other regions
 * are dropped, and blank lines at either end of the whole are trimmed.
 *
 * <p>{@link #check} lists every block that has no marker, names a missing file or tag, or differs from
 * its region; {@link #update} rewrites the blocks from their regions. As a program (JDK only, so it
 * runs as a single source file): {@code java txkit-it/src/test/java/dev/txkit/it/readme/ReadmeSnippets.java
 * [--check]} from anywhere in the repository, which {@code txkit-it/update-readme-snippets} wraps.
 *
 * <p>Stateless; thread-safe.
 */
public final class ReadmeSnippets {
    /** {@code <!-- snippet: ClassName#tag -->}. */
    static final Pattern MARKER = Pattern.compile("^\\s*<!--\\s*snippet:\\s*([A-Za-z0-9_$.]+)#([A-Za-z0-9_-]+)\\s*-->\\s*$");
    private static final Pattern ANY_MARKER = Pattern.compile("^\\s*<!--\\s*snippet:.*$");
    private static final Pattern FENCE = Pattern.compile("^(\\s*)(`{3,}|~{3,})\\s*([^`\\s]*).*$");
    private static final Pattern TAG = Pattern.compile("^\\s*//\\s*(tag|end)::([A-Za-z0-9_-]+)\\[\\]\\s*$");
    private static final String FIX = "run txkit-it/update-readme-snippets after changing a region";

    private final Path root;
    private final Map<String, List<Path>> sources;

    private ReadmeSnippets(Path root) {
        this.root = root;
        this.sources = indexSources(root);
    }

    /** One thing to fix, with where: {@code README.md:48: …}. */
    public record Problem(Path file, int line, String message) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + message;
        }
    }

    /** A {@code ```java} block of a Markdown file: its marker (or null) and the lines between the fences. */
    record Block(Path file, int fenceLine, String marker, int markerLine, String indent, int firstLine, int endLine) {
    }

    /** The problems of every Markdown file under {@code root} (empty when all blocks are in sync). */
    public static List<Problem> check(Path root) {
        ReadmeSnippets s = new ReadmeSnippets(root);
        List<Problem> problems = new ArrayList<>();
        for (Path md : s.markdownFiles()) {
            List<String> lines = s.read(md);
            for (Block b : s.blocks(md, lines, problems)) {
                s.compare(b, lines, problems);
            }
        }
        return problems;
    }

    /**
     * Rewrites every marked block under {@code root} from its region and returns the files changed.
     * Problems other than stale content (no marker, no such region) are left for {@link #check}.
     */
    public static List<Path> update(Path root) {
        ReadmeSnippets s = new ReadmeSnippets(root);
        List<Path> changed = new ArrayList<>();
        for (Path md : s.markdownFiles()) {
            List<String> lines = s.read(md);
            List<Block> blocks = s.blocks(md, lines, new ArrayList<>());
            List<String> out = new ArrayList<>(lines);
            // From the last block up, so earlier line numbers stay valid while replacing.
            for (int i = blocks.size() - 1; i >= 0; i--) {
                Block b = blocks.get(i);
                if (b.marker() == null) {
                    continue;
                }
                List<String> region = s.region(b.marker(), new ArrayList<>(), b);
                if (region == null) {
                    continue;
                }
                List<String> body = region.stream().map(l -> l.isEmpty() ? l : b.indent() + l).toList();
                out.subList(b.firstLine(), b.endLine()).clear();
                out.addAll(b.firstLine(), body);
            }
            if (!out.equals(lines)) {
                s.write(md, out);
                changed.add(root.relativize(md));
            }
        }
        return changed;
    }

    /**
     * The region {@code ClassName#tag} as the Markdown block must show it, or null after adding the
     * reason to {@code problems}.
     */
    List<String> region(String marker, List<Problem> problems, Block at) {
        int hash = marker.indexOf('#');
        String type = marker.substring(0, hash);
        String tag = marker.substring(hash + 1);
        List<Path> files = sources.getOrDefault(type.substring(type.lastIndexOf('.') + 1) + ".java", List.of());
        if (files.size() != 1) {
            problems.add(new Problem(rel(at.file()), at.markerLine() + 1, files.isEmpty()
                    ? "no source file " + type + ".java under a src folder for marker " + marker
                    : "marker " + marker + " is ambiguous: " + files.stream().map(this::rel).toList()));
            return null;
        }
        return regionOf(files.get(0), tag, problems);
    }

    /** The spans of {@code tag} in {@code file}, each dedented, joined; null (and a problem) if absent or unbalanced. */
    List<String> regionOf(Path file, String tag, List<Problem> problems) {
        List<String> lines = read(file);
        List<String> out = new ArrayList<>();
        List<String> span = null;
        int opened = -1;
        boolean found = false;
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = TAG.matcher(lines.get(i));
            if (m.matches()) {
                if (m.group(2).equals(tag)) {
                    boolean start = m.group(1).equals("tag");
                    if (start == (span != null)) {
                        problems.add(new Problem(rel(file), i + 1, (start ? "tag::" : "end::") + tag + "[] "
                                + (start ? "opened again before its end::" + tag + "[]" : "without a tag::" + tag + "[] before it")));
                        return null;
                    }
                    if (start) {
                        span = new ArrayList<>();
                        opened = i;
                        found = true;
                    } else {
                        out.addAll(dedent(span));
                        span = null;
                    }
                }
                continue; // other regions' tag lines never show
            }
            if (span != null) {
                span.add(stripTrailing(lines.get(i)));
            }
        }
        if (span != null) {
            problems.add(new Problem(rel(file), opened + 1, "tag::" + tag + "[] has no end::" + tag + "[]"));
            return null;
        }
        if (!found) {
            problems.add(new Problem(rel(file), 1, "no region tag::" + tag + "[] in " + rel(file)));
            return null;
        }
        return trimBlankEnds(out);
    }

    private void compare(Block b, List<String> lines, List<Problem> problems) {
        if (b.marker() == null) {
            problems.add(new Problem(rel(b.file()), b.fenceLine() + 1, "java block without a snippet marker: put"
                    + " <!-- snippet: ClassName#tag --> on the line above it, naming a tagged region of a test"
                    + " that compiles and runs this code"));
            return;
        }
        List<String> region = region(b.marker(), problems, b);
        if (region == null) {
            return;
        }
        List<String> shown = new ArrayList<>();
        for (String l : lines.subList(b.firstLine(), b.endLine())) {
            String s = stripTrailing(l);
            shown.add(s.startsWith(b.indent()) ? s.substring(b.indent().length()) : s.strip());
        }
        if (!shown.equals(region)) {
            int i = 0;
            while (i < shown.size() && i < region.size() && shown.get(i).equals(region.get(i))) {
                i++;
            }
            String was = i < shown.size() ? shown.get(i) : "(end of block)";
            String want = i < region.size() ? region.get(i) : "(end of region)";
            problems.add(new Problem(rel(b.file()), b.firstLine() + i + 1, "java block differs from its region "
                    + b.marker() + " (" + rel(sources.get(simpleName(b.marker()) + ".java").get(0)) + "):"
                    + " block has \"" + was + "\", region has \"" + want + "\"; edit the region, not the"
                    + " block, then " + FIX));
        }
    }

    /** The {@code ```java} blocks of one Markdown file; markers that mark no java block are problems. */
    List<Block> blocks(Path md, List<String> lines, List<Problem> problems) {
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher fence = FENCE.matcher(line);
            if (!fence.matches()) {
                if (ANY_MARKER.matcher(line).matches()) {
                    Matcher next = i + 1 < lines.size() ? FENCE.matcher(lines.get(i + 1)) : null;
                    boolean java = next != null && next.matches() && next.group(3).equalsIgnoreCase("java");
                    if (!MARKER.matcher(line).matches()) {
                        problems.add(new Problem(rel(md), i + 1, "malformed snippet marker: write"
                                + " <!-- snippet: ClassName#tag -->"));
                    } else if (!java) {
                        problems.add(new Problem(rel(md), i + 1, "snippet marker not directly above a ```java block"));
                    }
                }
                continue;
            }
            String indent = fence.group(1);
            String delimiter = fence.group(2);
            int close = i + 1;
            while (close < lines.size() && !closes(lines.get(close), delimiter)) {
                close++;
            }
            if (fence.group(3).equalsIgnoreCase("java")) {
                Matcher marker = i > 0 ? MARKER.matcher(lines.get(i - 1)) : null;
                boolean marked = marker != null && marker.matches();
                blocks.add(new Block(md, i, marked ? marker.group(1) + "#" + marker.group(2) : null, i - 1,
                        indent, i + 1, Math.min(close, lines.size())));
            }
            i = close; // nothing inside a fenced block is a fence or a marker
        }
        return blocks;
    }

    private static boolean closes(String line, String delimiter) {
        String s = line.strip();
        return s.startsWith(delimiter) && s.chars().allMatch(c -> c == delimiter.charAt(0));
    }

    static List<String> dedent(List<String> span) {
        int common = Integer.MAX_VALUE;
        for (String l : span) {
            if (!l.isBlank()) {
                common = Math.min(common, l.length() - l.stripLeading().length());
            }
        }
        List<String> out = new ArrayList<>();
        for (String l : span) {
            out.add(l.isBlank() ? "" : l.substring(common));
        }
        return out;
    }

    private static List<String> trimBlankEnds(List<String> lines) {
        int from = 0;
        int to = lines.size();
        while (from < to && lines.get(from).isBlank()) {
            from++;
        }
        while (to > from && lines.get(to - 1).isBlank()) {
            to--;
        }
        return new ArrayList<>(lines.subList(from, to));
    }

    private static String stripTrailing(String s) {
        return s.stripTrailing();
    }

    private static String simpleName(String marker) {
        String type = marker.substring(0, marker.indexOf('#'));
        return type.substring(type.lastIndexOf('.') + 1);
    }

    private Path rel(Path p) {
        return p.startsWith(root) ? root.relativize(p) : p;
    }

    /** Every {@code *.md} of the repository, outside build output, VCS and hidden folders. */
    List<Path> markdownFiles() {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".md") && Files.isRegularFile(p) && !skipped(root.relativize(p)))
                    .sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code *.java} files under any {@code src} folder, by file name. */
    private static Map<String, List<Path>> indexSources(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            Map<String, List<Path>> index = new TreeMap<>();
            files.filter(p -> p.toString().endsWith(".java") && Files.isRegularFile(p))
                    .filter(p -> !skipped(root.relativize(p)) && inSrc(root.relativize(p)))
                    .sorted()
                    .forEach(p -> index.computeIfAbsent(p.getFileName().toString(), k -> new ArrayList<>()).add(p));
            return index;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean inSrc(Path relative) {
        for (Path part : relative) {
            if (part.toString().equals("src")) {
                return true;
            }
        }
        return false;
    }

    private static boolean skipped(Path relative) {
        for (Path part : relative) {
            String name = part.toString();
            if (name.equals("target") || name.equals("node_modules") || (name.startsWith(".") && name.length() > 1)) {
                return true;
            }
        }
        return false;
    }

    private List<String> read(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(Path file, List<String> lines) {
        try {
            Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The repository root at or above {@code start}: the folder whose pom.xml lists txkit's modules. */
    public static Path findRoot(Path start) {
        for (Path p = start.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            Path pom = p.resolve("pom.xml");
            try {
                if (Files.isRegularFile(pom) && Files.readString(pom).contains("<module>txkit-core</module>")) {
                    return p;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no txkit repository (a pom.xml with <module>txkit-core</module>) at or above "
                + start.toAbsolutePath());
    }

    /** {@code --check}: print problems, exit 1 if any; default: rewrite the blocks, then check. */
    public static void main(String[] args) {
        boolean checkOnly = List.of(args).contains("--check");
        Path root = findRoot(Path.of(""));
        if (!checkOnly) {
            for (Path changed : update(root)) {
                System.out.println("updated " + changed);
            }
        }
        List<Problem> problems = check(root);
        problems.forEach(p -> System.err.println(p));
        if (!problems.isEmpty()) {
            System.exit(1);
        }
        System.out.println("every java block in the Markdown files matches its tagged test region");
    }
}
