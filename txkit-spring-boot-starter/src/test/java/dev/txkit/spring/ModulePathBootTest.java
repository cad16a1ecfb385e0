package dev.txkit.spring;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter as a named module on the module path, as a JPMS application runs it: a small application
 * module (compiled here with the JDK's compiler) boots Spring Boot with txkit's auto-configuration over
 * an H2 DataSource in a JVM of its own, and runs a txkit transaction. Spring instantiates
 * {@link TxkitAutoConfiguration} and calls its package-private {@code @Bean} methods by reflection, which
 * only works because module-info opens {@code dev.txkit.spring} to Spring; without that line this test
 * fails with an InaccessibleObjectException. Only the jars the application needs go on the module path
 * (the rest of the test class path would bring split packages).
 */
class ModulePathBootTest {
    /** Spring, Boot's JDBC support, HikariCP, H2 and what they need at run time, by jar name. */
    private static final Pattern NEEDED = Pattern.compile("(spring-(core|beans|context|aop|expression|jdbc|tx)"
            + "|spring-boot|spring-boot-(autoconfigure|jdbc|sql|transaction|persistence)|commons-logging"
            + "|micrometer-(observation|commons)|jspecify|HikariCP|slf4j-api|h2)-\\d[^/]*\\.jar");

    @Test
    void bootsWithTxkitAsANamedModule(@TempDir Path tmp) throws Exception {
        List<String> modulePath = new ArrayList<>();
        for (String entry : testClassPath()) {
            Path p = Paths.get(entry);
            String name = p.getFileName().toString();
            boolean txkit = (entry.contains("txkit-core") || entry.contains("txkit-spring-boot-starter"))
                    && !entry.contains("test-classes");
            if (txkit || NEEDED.matcher(name).matches()) {
                modulePath.add(entry);
            }
        }
        assertThat(modulePath).as("module path").anyMatch(e -> e.contains("txkit-spring-boot-starter"))
                .anyMatch(e -> e.contains("txkit-core")).anyMatch(e -> e.contains("spring-boot-autoconfigure"));

        Path src = tmp.resolve("src");
        write(src.resolve("module-info.java"), String.join("\n",
                "module smoke {",
                "    requires dev.txkit.spring;",
                "    requires spring.boot;",
                "    requires spring.boot.autoconfigure;",
                "    requires spring.context;",
                "    opens smoke to spring.core, spring.beans, spring.context;",
                "}"));
        write(src.resolve("smoke/Main.java"), String.join("\n",
                "package smoke;",
                "import dev.txkit.Database;",
                "import org.springframework.boot.SpringBootConfiguration;",
                "import org.springframework.boot.WebApplicationType;",
                "import org.springframework.boot.autoconfigure.EnableAutoConfiguration;",
                "import org.springframework.boot.builder.SpringApplicationBuilder;",
                "import org.springframework.context.ConfigurableApplicationContext;",
                "@SpringBootConfiguration",
                "@EnableAutoConfiguration",
                "public class Main {",
                "    public static void main(String[] args) {",
                "        try (ConfigurableApplicationContext ctx = new SpringApplicationBuilder(Main.class)",
                "                .web(WebApplicationType.NONE).logStartupInfo(false)",
                "                .properties(\"spring.datasource.url=jdbc:h2:mem:modulepath\", \"spring.main.banner-mode=off\")",
                "                .run()) {",
                "            Database db = ctx.getBean(Database.class);",
                "            int one = db.inTransaction(tx -> tx.sql(\"SELECT 1\").one(Integer.class));",
                "            System.out.println(\"module=\" + Database.class.getModule().getName()",
                "                    + \" starter=\" + ctx.getBean(dev.txkit.spring.TxkitProperties.class).getClass().getModule().getName()",
                "                    + \" result=\" + one);",
                "        }",
                "    }",
                "}"));
        Path out = tmp.resolve("out");
        String mp = String.join(File.pathSeparator, modulePath);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int compiled = javac.run(null, null, errors, "--module-path", mp, "-d", out.toString(),
                src.resolve("module-info.java").toString(), src.resolve("smoke/Main.java").toString());
        assertThat(compiled).as("javac: %s", errors.toString(StandardCharsets.UTF_8)).isZero();

        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        // ALL-MODULE-PATH: explicit modules nobody requires by name (commons-logging, HikariCP) are resolved too,
        // as an application's launcher or jlink image would have them.
        Process process = new ProcessBuilder(java.toString(), "--module-path", out + File.pathSeparator + mp,
                "--add-modules", "ALL-MODULE-PATH", "-m", "smoke/smoke.Main").redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the application ends").isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("exit code; output:%n%s", text).isZero();
        assertThat(text).contains("module=dev.txkit starter=dev.txkit.spring result=1");
    }

    /** The test class path as Surefire gives it (also when it starts the JVM through a manifest-only jar). */
    private static List<String> testClassPath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(cp.split(File.pathSeparator)).filter(s -> !s.isEmpty()).collect(Collectors.toList());
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text + "\n");
    }
}
