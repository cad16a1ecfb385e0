package dev.txkit.cli;

import dev.txkit.Isolation;
import dev.txkit.TxOptions;
import dev.txkit.dialect.Dialect;
import dev.txkit.dialect.Dialects;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Callable;

/** {@code txkit doctor}: what the database is, what it supports, and the settings that matter for correctness. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check a database: product, isolation levels, settings that matter for correctness, pool settings.")
final class DoctorCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--url", required = true, description = "JDBC URL of a PostgreSQL or MariaDB database")
    private String url;

    @Option(names = "--user", description = "database user")
    private String user;

    @Option(names = "--password", description = "database password")
    private String password;

    @Option(names = "--verbose", description = "print stack traces of failures")
    private boolean verbose;

    @Override
    public Integer call() throws SQLException {
        PrintWriter out = spec.commandLine().getOut();
        try (Target target = Target.open(url, user, password, 2); Connection c = target.pool.getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            Dialect dialect = Dialects.forProduct(meta.getDatabaseProductName(), meta.getDatabaseProductVersion());
            out.println("database:   " + meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion());
            out.println("driver:     " + meta.getDriverName() + " " + meta.getDriverVersion());
            StringBuilder levels = new StringBuilder();
            for (Isolation i : Isolation.values()) {
                levels.append(dialect.supports(i) ? i + " " : "");
            }
            out.println("isolation:  " + levels.toString().trim());
            out.println();
            out.println("settings that matter for correctness:");
            if (target.mariadb) {
                mariadb(c, out);
                if (GaleraChecks.isGalera(c)) {
                    out.println();
                    out.println("Galera cluster (see README, Running on Galera):");
                    GaleraChecks.print(c, url, out);
                }
            } else {
                postgres(c, out);
            }
            out.println();
            TxOptions d = TxOptions.defaults();
            out.println("txkit pool and defaults: pool size 10 (Database.connect; Builder.poolSize), timeout "
                    + d.timeout().toMillis() + " ms, maxWait " + d.maxWait().toMillis() + " ms, retry " + d.retry());
            out.println("this connection: " + target.pool.getMaximumPoolSize() + " pooled connection(s) used by doctor");
        }
        return 0;
    }

    private static void postgres(Connection c, PrintWriter out) throws SQLException {
        setting(c, out, "SHOW default_transaction_isolation", "default_transaction_isolation",
                v -> v.equals("read committed") ? "ok: read-modify-write still needs FOR UPDATE, a version column or SERIALIZABLE"
                        : "note: txkit sets isolation per transaction when you ask");
        setting(c, out, "SHOW idle_in_transaction_session_timeout", "idle_in_transaction_session_timeout",
                v -> v.equals("0") ? "recommend e.g. '60s': a forgotten transaction otherwise holds its locks forever"
                        : "ok: abandoned transactions are ended by the server");
        setting(c, out, "SHOW lock_timeout", "lock_timeout",
                v -> v.equals("0") ? "ok with txkit (its transaction timeout bounds waits); plain clients wait forever"
                        : "ok");
        setting(c, out, "SHOW statement_timeout", "statement_timeout", v -> "ok (txkit cancels at its own deadline)");
        setting(c, out, "SHOW deadlock_timeout", "deadlock_timeout", v -> "ok: deadlocks surface as 40P01 and are retried");
        setting(c, out, "SHOW max_connections", "max_connections", v -> "keep the sum of all pools below this");
    }

    private static void mariadb(Connection c, PrintWriter out) throws SQLException {
        setting(c, out, "SELECT @@tx_isolation", "tx_isolation",
                v -> v.equals("REPEATABLE-READ") ? "note: plain JDBC read-modify-write loses updates at REPEATABLE READ"
                        + " unless innodb_snapshot_isolation=ON; txkit's transactions run with it ON" : "ok");
        setting(c, out, "SELECT @@GLOBAL.innodb_snapshot_isolation", "innodb_snapshot_isolation (global)",
                v -> v.equals("1") || v.equalsIgnoreCase("ON") ? "ok: stale writes fail with 1020 and txkit retries them;"
                        + " txkit sends nothing extra"
                        : "txkit: sets it ON per connection (one SET SESSION per physical connection, before its first"
                        + " REPEATABLE READ transaction), so lost updates fail with 1020 and are retried; set it ON"
                        + " globally to protect plain JDBC too");
        out.printf("  %-36s %-18s %s%n", "consistent totals (read skew)", "",
                "a snapshot total is a past state: for one that holds until commit use"
                        + " SELECT SUM(...) ... LOCK IN SHARE MODE (or FOR UPDATE) in the transaction");
        setting(c, out, "SELECT @@innodb_lock_wait_timeout", "innodb_lock_wait_timeout",
                v -> Integer.parseInt(v) > 10 ? "recommend 5-10 s: the default 50 s turns a self-deadlock into a 50 s hang"
                        : "ok");
        setting(c, out, "SELECT @@max_connections", "max_connections", v -> "keep the sum of all pools below this");
        setting(c, out, "SELECT @@wsrep_on", "wsrep_on (Galera)",
                v -> v.equals("1") || v.equalsIgnoreCase("ON") ? "Galera: certification conflicts arrive at COMMIT as 1213; txkit retries them"
                        : "not a Galera node");
    }

    interface Advice {
        String on(String value);
    }

    private static void setting(Connection c, PrintWriter out, String sql, String name, Advice advice) {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            String v = rs.getString(1);
            out.printf("  %-36s %-18s %s%n", name, v, advice.on(v == null ? "" : v));
        } catch (SQLException e) {
            out.printf("  %-36s %-18s %s%n", name, "(unavailable)", "");
        }
    }
}
