package dev.txkit.benchmarks.harness;

import com.zaxxer.hikari.HikariDataSource;
import dev.txkit.benchmarks.harness.strategy.ForUpdate;
import dev.txkit.benchmarks.harness.workload.Wallet;
import dev.txkit.testing.TestDatabase;
import dev.txkit.testing.TestDatabases;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one cell `mvn verify` runs of the contention harness (the harness is a benchmark, not a test):
 * W1 with hand-written FOR UPDATE, 2 clients, 1 s, on PostgreSQL. It must commit operations, keep the
 * wallet's invariant, leave no connection in use, and produce a CSV row with the documented columns.
 */
class HarnessSmokeIT {

    @Test
    void oneWalletCellKeepsItsInvariantAndWritesTheDocumentedCsv() throws Exception {
        try (TestDatabase tdb = TestDatabases.create(dev.txkit.testing.DbKind.POSTGRES, "harness_smoke");
             HikariDataSource pool = tdb.newPool(4);
             Env env = new Env(pool, 2)) {
            Plan plan = new Plan(List.of(new Plan.Group(new Wallet(), List.of(new ForUpdate()), List.of(2), 1)),
                    Duration.ZERO, Duration.ofSeconds(1), 1);
            List<CellResult> results = Harness.run(env, plan, (i, n, spec) -> { });

            assertThat(results).hasSize(1);
            CellResult r = results.get(0);
            assertThat(r.invariantOk()).as(r.detail()).isTrue();
            assertThat(r.completed()).isPositive();
            // every acknowledged deduction is in the balance; those ending after the window are not counted in TPS
            long acknowledged = Long.parseLong(r.detail().replaceAll("^(\\d+) deductions, balance exact.*$", "$1"));
            assertThat(acknowledged).isGreaterThanOrEqualTo(r.completed());
            assertThat(r.aborts()).isEmpty(); // FOR UPDATE never aborts on one row
            assertThat(r.abortRate()).isZero();
            // attempts count by start, completions by end: only the window's edges may differ
            assertThat(r.attemptsPerCommit()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.05));
            assertThat(r.giveups()).isZero();
            assertThat(r.p99Ms()).isGreaterThanOrEqualTo(r.p50Ms()).isPositive();
            assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isZero();

            StringWriter csv = new StringWriter();
            Csv.write(csv, results);
            List<String> lines = csv.toString().lines().toList();
            assertThat(lines.get(0)).startsWith("db,workload,strategy,backoff,clients,theta,tps,p50_ms,p99_ms,"
                    + "attempts_per_commit,abort_rate,giveups,invariant_ok,p999_ms");
            assertThat(lines).hasSize(2);
            String[] cells = lines.get(1).split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1); // commas outside quotes
            assertThat(cells).hasSameSizeAs(lines.get(0).split(","));
            assertThat(List.of(cells).subList(0, 6)).containsExactly("postgresql", "W1-wallet", "for-update", "-", "2", "0.00");
            assertThat(Double.parseDouble(cells[6])).isEqualTo(r.tps(), org.assertj.core.data.Offset.offset(0.1));
            assertThat(cells[12]).isEqualTo("true");
        }
    }
}
