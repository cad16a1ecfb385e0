package dev.txkit.it.instances;

import dev.txkit.it.DbIT;
import dev.txkit.testing.DbKind;
import dev.txkit.testing.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several application instances on one database: three JVM processes, each with its own pool,
 * its own txkit Database and so its own contention control, run transfers, hot-row optimistic
 * deductions and the same set of idempotency keys at once. Afterwards: the total is conserved,
 * every acknowledged transfer has exactly one ledger row, each shared key applied exactly once,
 * the hot row lost exactly the acknowledged deductions, and no instance gave up on anything.
 */
class InstancesIT extends DbIT {
    private static final int INSTANCES = 3;
    private static final int SECONDS = 8;
    private static final int SHARED_KEYS = 60;
    private static final long INITIAL = 1_000;

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void three_processes_keep_every_invariant_without_coordination(DbKind kind) throws Exception {
        TestDatabase schema = schema(kind);
        StringBuilder rows = new StringBuilder();
        for (int i = 1; i <= Instance.ACCOUNTS; i++) {
            rows.append(i > 1 ? "," : "").append('(').append(i).append(',').append(INITIAL).append(')');
        }
        schema.execute("DROP TABLE IF EXISTS ledger", "DROP TABLE IF EXISTS account", "DROP TABLE IF EXISTS wallet",
                "CREATE TABLE account (id INT PRIMARY KEY, balance BIGINT NOT NULL)",
                "CREATE TABLE ledger (op VARCHAR(64) PRIMARY KEY, amount BIGINT NOT NULL)",
                "CREATE TABLE wallet (id VARCHAR(16) PRIMARY KEY, balance BIGINT NOT NULL, version INT NOT NULL)",
                "INSERT INTO account VALUES " + rows, "INSERT INTO wallet VALUES ('hot', 1000000, 0)");
        // Created once up front, so the instances do not race to create the keys table.
        db(kind).purgeExpiredIdempotencyKeys();

        Path dir = Files.createTempDirectory("txkit-instances");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> processes = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            Path out = dir.resolve("instance-" + i + ".txt");
            outputs.add(out);
            processes.add(new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    Instance.class.getName(), schema.jdbcUrl(), schema.user(), schema.password(),
                    String.valueOf(i), String.valueOf(SECONDS), String.valueOf(SHARED_KEYS), out.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("instance-" + i + ".log").toFile()).start());
        }
        List<Integer> exits = new ArrayList<>();
        for (Process p : processes) {
            if (!p.waitFor(SECONDS + 120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            exits.add(p.isAlive() ? -1 : p.exitValue());
        }
        List<String> logs = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            logs.add(Files.readString(dir.resolve("instance-" + i + ".log")).strip());
        }
        System.out.println(kind + " " + String.join(" / ", logs));
        assertThat(exits).as("every instance finished without a failure: " + logs).containsOnly(0);

        Set<String> acknowledged = new HashSet<>();
        long deductions = 0;
        for (Path out : outputs) {
            for (String line : Files.readAllLines(out)) {
                if (line.startsWith("#deductions ")) {
                    deductions += Long.parseLong(line.substring("#deductions ".length()));
                } else {
                    assertThat(acknowledged.add(line)).as("operation ids are unique per instance").isTrue();
                }
            }
        }
        try (var c = schema.unpooledDataSource().getConnection(); var st = c.createStatement()) {
            try (var rs = st.executeQuery("SELECT SUM(balance), MIN(balance) FROM account")) {
                rs.next();
                assertThat(rs.getLong(1)).as("total conserved").isEqualTo(Instance.ACCOUNTS * INITIAL);
                assertThat(rs.getLong(2)).as("no negative balance").isNotNegative();
            }
            Set<String> ledger = new HashSet<>();
            Set<String> shared = new HashSet<>();
            try (var rs = st.executeQuery("SELECT op FROM ledger")) {
                while (rs.next()) {
                    String op = rs.getString(1);
                    (op.startsWith("shared-") ? shared : ledger).add(op);
                }
            }
            assertThat(ledger).as("one ledger row per acknowledged transfer, none for others").isEqualTo(acknowledged);
            try (var rs = st.executeQuery("SELECT COUNT(*) FROM ledger WHERE op LIKE 'shared-%'")) {
                rs.next();
                assertThat(rs.getLong(1)).as("each shared key applied at most once").isEqualTo(shared.size());
            }
            assertThat(shared).as("the shared keys submitted by every instance were applied").isNotEmpty();
            try (var rs = st.executeQuery("SELECT balance, version FROM wallet WHERE id = 'hot'")) {
                rs.next();
                assertThat(rs.getLong(1)).as("hot row lost exactly the acknowledged deductions")
                        .isEqualTo(1_000_000 - deductions);
                assertThat(rs.getLong(2)).isEqualTo(deductions);
            }
        }
        for (Path p : Files.list(dir).toList()) {
            Files.delete(p);
        }
        Files.delete(dir);
    }
}
