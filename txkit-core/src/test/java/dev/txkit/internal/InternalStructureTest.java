package dev.txkit.internal;

import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shape of txkit-core, checked on what the compiler produced: no package cycle among the internal
 * packages (read from the class files' constant pools with the JDK only), only {@code Database} of the
 * API reaching into them, and no source file over its size limit.
 */
class InternalStructureTest {
    private static final Pattern TXKIT_TYPE = Pattern.compile("dev/txkit/(?:[A-Za-z0-9_]+/)*[A-Za-z0-9_$]+");

    @Test
    void internalPackagesDependOnEachOtherInOneDirectionOnly() throws Exception {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (Map.Entry<String, Set<String>> e : classDependencies().entrySet()) {
            String from = packageOf(e.getKey());
            if (!from.startsWith("dev.txkit.internal")) {
                continue;
            }
            Set<String> to = graph.computeIfAbsent(from, k -> new TreeSet<>());
            for (String dep : e.getValue()) {
                String p = packageOf(dep);
                if (p.startsWith("dev.txkit.internal") && !p.equals(from)) {
                    to.add(p);
                }
            }
        }
        assertThat(graph).as("internal packages found").hasSizeGreaterThanOrEqualTo(8);
        assertThat(cycles(graph)).as("package cycles among %s", graph).isEmpty();
    }

    @Test
    void onlyDatabaseOfTheApiReachesIntoInternal() throws Exception {
        List<String> offenders = new ArrayList<>();
        for (Map.Entry<String, Set<String>> e : classDependencies().entrySet()) {
            String from = e.getKey();
            if (packageOf(from).startsWith("dev.txkit.internal") || from.equals("dev.txkit.Database")
                    || from.startsWith("dev.txkit.Database$")) {
                continue;
            }
            for (String dep : e.getValue()) {
                if (packageOf(dep).startsWith("dev.txkit.internal")) {
                    offenders.add(from + " -> " + dep);
                }
            }
        }
        assertThat(offenders).isEmpty();
    }

    @Test
    void noInternalFileIsOver300LinesAndNoCoreFileOver500() throws IOException {
        Path src = Paths.get("src/main/java/dev/txkit");
        assertThat(src).as("run from the txkit-core directory").isDirectory();
        Map<String, Long> tooLong = new TreeMap<>();
        try (Stream<Path> files = Files.walk(src)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList())) {
                long lines;
                try (Stream<String> l = Files.lines(f)) {
                    lines = l.count();
                }
                boolean internal = src.relativize(f).startsWith("internal");
                if (lines > (internal ? 300 : 500)) {
                    tooLong.put(src.relativize(f).toString(), lines);
                }
            }
        }
        assertThat(tooLong).isEmpty();
    }

    /**
     * No JVM-wide mutable state in internal: every static field is final and holds no collection, map,
     * array, thread or executor. Counters that only number things (ids, thread names) are allowed.
     */
    @Test
    void internalClassesKeepNoMutableStaticState() throws Exception {
        List<String> offenders = new ArrayList<>();
        for (String name : classDependencies().keySet()) {
            if (!packageOf(name).startsWith("dev.txkit.internal")) {
                continue;
            }
            for (java.lang.reflect.Field f : Class.forName(name, false, getClass().getClassLoader()).getDeclaredFields()) {
                int m = f.getModifiers();
                if (!java.lang.reflect.Modifier.isStatic(m) || f.isSynthetic()) {
                    continue;
                }
                Class<?> t = f.getType();
                boolean counter = t == java.util.concurrent.atomic.AtomicLong.class
                        || t == java.util.concurrent.atomic.AtomicInteger.class;
                boolean mutable = t.isArray() || java.util.Collection.class.isAssignableFrom(t)
                        || Map.class.isAssignableFrom(t) || Thread.class.isAssignableFrom(t)
                        || java.util.concurrent.Executor.class.isAssignableFrom(t);
                if (mutable && java.lang.reflect.Modifier.isFinal(m)) {
                    f.setAccessible(true);
                    mutable = !immutable(f.get(null)); // Set.of(...) and empty arrays are constants
                }
                if (!java.lang.reflect.Modifier.isFinal(m) || (mutable && !counter)) {
                    offenders.add(name + "." + f.getName());
                }
            }
        }
        assertThat(offenders).isEmpty();
    }

    private static boolean immutable(Object value) {
        if (value == null) {
            return true;
        }
        if (value.getClass().isArray()) {
            return java.lang.reflect.Array.getLength(value) == 0;
        }
        String c = value.getClass().getName();
        return c.startsWith("java.util.ImmutableCollections$") || c.startsWith("java.util.Collections$Unmodifiable")
                || c.startsWith("java.util.Collections$Empty");
    }

    /** Every class of txkit-core and the txkit types its constant pool names. */
    private static Map<String, Set<String>> classDependencies() throws IOException, URISyntaxException {
        Path classes = Paths.get(Engine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Map<String, Set<String>> deps = new HashMap<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).collect(Collectors.toList())) {
                String name = classes.relativize(f).toString().replace('\\', '/');
                if (name.equals("module-info.class") || !name.startsWith("dev/txkit/")) {
                    continue;
                }
                String cls = name.substring(0, name.length() - ".class".length()).replace('/', '.');
                try (InputStream in = Files.newInputStream(f)) {
                    deps.put(cls, referencedTypes(in));
                }
            }
        }
        assertThat(deps).as("classes under %s", classes).isNotEmpty();
        return deps;
    }

    /** The txkit types named anywhere in a class file's constant pool (class entries and descriptors). */
    static Set<String> referencedTypes(InputStream classFile) throws IOException {
        DataInputStream in = new DataInputStream(classFile);
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        Set<String> types = new TreeSet<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1: // Utf8: class names, descriptors and signatures all live here
                    Matcher m = TXKIT_TYPE.matcher(in.readUTF());
                    while (m.find()) {
                        types.add(m.group().replace('/', '.'));
                    }
                    break;
                case 7: case 8: case 16: case 19: case 20:
                    in.skipBytes(2);
                    break;
                case 15:
                    in.skipBytes(3);
                    break;
                case 3: case 4: case 9: case 10: case 11: case 12: case 17: case 18:
                    in.skipBytes(4);
                    break;
                case 5: case 6:
                    in.skipBytes(8);
                    i++; // longs and doubles take two entries
                    break;
                default:
                    throw new IOException("unknown constant pool tag " + tag);
            }
        }
        return types;
    }

    private static String packageOf(String type) {
        String outer = type.contains("$") ? type.substring(0, type.indexOf('$')) : type;
        int dot = outer.lastIndexOf('.');
        return dot < 0 ? "" : outer.substring(0, dot);
    }

    /** The strongly connected components with more than one package (Tarjan). */
    static List<Set<String>> cycles(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        List<Set<String>> found = new ArrayList<>();
        int[] counter = {0};
        for (String v : graph.keySet()) {
            if (!index.containsKey(v)) {
                connect(v, graph, index, low, stack, found, counter);
            }
        }
        return found;
    }

    private static void connect(String v, Map<String, Set<String>> graph, Map<String, Integer> index,
                                Map<String, Integer> low, Deque<String> stack, List<Set<String>> found, int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]++);
        stack.push(v);
        for (String w : graph.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, graph, index, low, stack, found, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (stack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                found.add(component);
            }
        }
    }

    @Test
    void theCycleCheckFindsACycle() {
        Map<String, Set<String>> g = new TreeMap<>();
        g.put("a", Set.of("b"));
        g.put("b", Set.of("c"));
        g.put("c", Set.of("a"));
        g.put("d", Set.of("a"));
        assertThat(cycles(g)).containsExactly(Set.of("a", "b", "c"));
        g.put("c", Set.of());
        assertThat(cycles(g)).isEmpty();
    }
}
