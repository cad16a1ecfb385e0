package dev.txkit.it.galera;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * The 3-node Galera cluster that {@code scripts/galera.sh start} boots on 127.0.0.1 (SQL ports
 * 3316, 3326, 3336; root, empty password). Tests call {@link #assumeUp()} first: without a cluster
 * they are skipped, or fail when {@code TXKIT_REQUIRE_GALERA=1} (CI sets it after starting it).
 */
final class Galera {
    static final int NODES = 3;
    private static final int[] PORTS = {3316, 3326, 3336};

    private Galera() {
    }

    static void assumeUp() {
        for (int node = 0; node < NODES; node++) {
            try (Connection c = DriverManager.getConnection(url(node, "") , "root", "");
                 Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("show global status like 'wsrep_cluster_size'")) {
                if (!rs.next() || rs.getInt(2) != NODES) {
                    unavailable("node " + (node + 1) + " does not see a cluster of " + NODES);
                }
            } catch (SQLException e) {
                unavailable("node " + (node + 1) + " on port " + PORTS[node] + " unreachable: " + e.getMessage());
            }
        }
    }

    private static void unavailable(String why) {
        String message = "Galera cluster not available (" + why + "); start it with scripts/galera.sh start";
        if ("1".equals(System.getenv("TXKIT_REQUIRE_GALERA"))) {
            fail(message);
        }
        abort(message);
    }

    static String url(int node, String database) {
        return "jdbc:mariadb://127.0.0.1:" + PORTS[node] + "/" + database + "?connectTimeout=3000";
    }

    /**
     * A multi-host URL that prefers {@code first} and fails over to the others in order: the
     * MariaDB driver's {@code sequential} mode, the setup the README recommends for Galera. With the
     * driver's defaults (retriesAllDown=120, deniedListTimeout=60000) a statement that meets every
     * host on its JVM-wide deny list retries the earliest-denied one (the dead node) 120 times with
     * 250 ms sleeps, ~30 s inside one JDBC call that no deadline can cut short; a short list makes the
     * driver give up after a few tries and the live nodes usable again within 2 s.
     */
    static String failoverUrl(int first, String database) {
        StringBuilder hosts = new StringBuilder();
        for (int i = 0; i < NODES; i++) {
            if (i > 0) {
                hosts.append(',');
            }
            hosts.append("127.0.0.1:").append(PORTS[(first + i) % NODES]);
        }
        return "jdbc:mariadb:sequential://" + hosts + "/" + database + "?connectTimeout=2000&socketTimeout=20000"
                + "&retriesAllDown=3&deniedListTimeout=2000";
    }

    static HikariDataSource pool(String url, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("root");
        config.setPassword("");
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(10_000);
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }

    /** A new database (replicated to every node by Galera's total-order DDL). */
    static String createDatabase(String hint) {
        String name = String.format("txkit_%s_%08x", hint.toLowerCase(), ThreadLocalRandom.current().nextInt());
        execute(0, "", "CREATE DATABASE " + name);
        return name;
    }

    static void dropDatabase(String name) {
        execute(0, "", "DROP DATABASE IF EXISTS " + name);
    }

    static void execute(int node, String database, String... sql) {
        try (Connection c = DriverManager.getConnection(url(node, database), "root", "");
             Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("node " + (node + 1) + ": " + e.getMessage(), e);
        }
    }

    /** One long value read on {@code node} after it has applied everything committed anywhere. */
    static long scalar(int node, String database, String sql) {
        try (Connection c = DriverManager.getConnection(url(node, database), "root", "");
             Statement st = c.createStatement()) {
            st.execute("SET SESSION wsrep_sync_wait = 1");
            try (ResultSet rs = st.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("node " + (node + 1) + ": " + e.getMessage(), e);
        }
    }

    /** Rows of {@code sql} as text, read on {@code node} after a causal sync. */
    static List<String> rows(int node, String database, String sql) {
        try (Connection c = DriverManager.getConnection(url(node, database), "root", "");
             Statement st = c.createStatement()) {
            st.execute("SET SESSION wsrep_sync_wait = 1");
            List<String> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery(sql)) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= columns; i++) {
                        row.append(i > 1 ? "|" : "").append(rs.getString(i));
                    }
                    out.add(row.toString());
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("node " + (node + 1) + ": " + e.getMessage(), e);
        }
    }

    /** SIGKILLs node {@code node} (0-based) through the project's script: a crash, not a shutdown. */
    static void kill(int node) {
        script("kill", String.valueOf(node + 1));
    }

    /** Starts node {@code node} (0-based) again and waits until it is Synced. */
    static void restart(int node) {
        script("start-node", String.valueOf(node + 1));
        script("wait-synced", String.valueOf(NODES), "120");
    }

    private static void script(String... args) {
        List<String> command = new ArrayList<>();
        command.add("bash");
        command.add(scriptPath().toString());
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(180, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("galera.sh " + String.join(" ", args) + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path scriptPath() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("scripts/galera.sh");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("scripts/galera.sh not found above " + Path.of("").toAbsolutePath());
    }
}
