package dev.txkit.cli;

import dev.txkit.benchmarks.harness.CellResult;
import dev.txkit.benchmarks.harness.Charts;
import dev.txkit.benchmarks.harness.Csv;
import dev.txkit.benchmarks.harness.Env;
import dev.txkit.benchmarks.harness.Harness;
import dev.txkit.benchmarks.harness.Plan;
import dev.txkit.benchmarks.harness.Strategies;
import dev.txkit.benchmarks.harness.Summary;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code txkit bench}: the contention harness (W1 wallet, W2 transfers, W3 seats) with txkit's strategies
 * and its peers' side by side, on an embedded PostgreSQL or the databases behind {@code --url}.
 * Exit 0 when every invariant held (NAIVE's expected anomaly aside), 1 when one broke, 2 on bad input.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure txkit's strategies and its peers' under contention: TPS, p50/p99 latency with retries,"
                + " attempts per commit, aborts and give-ups, with each workload's invariant checked after every cell.",
                "Default: the full run (about 12 minutes per database). --quick: about a minute."})
final class BenchCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--quick", description = "W1 at 1 and 64 clients with the peers and txkit's strategies, 2 s cells")
    private boolean quick;

    @Option(names = "--url", description = "JDBC URL of a PostgreSQL or MariaDB database; repeat for several"
            + " (default: an embedded PostgreSQL)")
    private List<String> urls = new ArrayList<>();

    @Option(names = "--user", description = "database user (for every --url)")
    private String user;

    @Option(names = "--password", description = "database password (for every --url)", arity = "0..1")
    private String password;

    @Option(names = "--out", paramLabel = "DIR", description = "write results.csv and the plots (PNG and SVG) here")
    private Path out;

    @Option(names = "--workloads", split = ",", paramLabel = "W",
            description = "W1, W2, W2:N:THETA, W2u, W2u:N:THETA, W3, W3-seat, W3-any (default: the plan's)")
    private List<String> workloads;

    @Option(names = "--strategies", split = ",", paramLabel = "S", description = "strategies to run (default: each workload's)")
    private List<String> strategies;

    @Option(names = "--clients", split = ",", paramLabel = "N", description = "client counts, e.g. 1,4,16,64")
    private List<Integer> clients;

    @Option(names = "--seconds", paramLabel = "S", description = "measured seconds per cell (default 2 quick, 1.5 full)")
    private Double seconds;

    @Option(names = "--warmup", paramLabel = "S", description = "uncounted seconds before each cell's window (default 0.5)")
    private Double warmup;

    @Option(names = "--repeats", paramLabel = "N", description = "runs of every cell, in random order (default: the plan's)")
    private Integer repeats;

    @Option(names = "--seed", description = "seed of the random cell order (default 42)")
    private Long seed;

    @Option(names = "--verbose", description = "print stack traces of failures")
    private boolean verbose;

    @Override
    public Integer call() throws Exception {
        Plan plan = plan();
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (out != null) {
            Files.createDirectories(out);
        }
        List<CellResult> results = new ArrayList<>();
        for (String url : urls.isEmpty() ? java.util.Collections.<String>singletonList(null) : urls) {
            err.println(url == null ? "Starting an embedded PostgreSQL (nothing to install; data in a temp dir)..."
                    : "Connecting to " + DemoCommand.redact(url) + "...");
            try (Target target = Target.open(url, user, password, plan.maxClients() + 2);
                 // MariaDB: txkit sets session state (innodb_snapshot_isolation) on its connections: own pool
                 Target txkitTarget = target.mariadb ? Target.open(url, user, password, plan.maxClients() + 2) : null;
                 Env env = new Env(target.pool, txkitTarget == null ? target.pool : txkitTarget.pool, plan.maxClients())) {
                int cells = plan.cells().size();
                err.println(target.description + ": " + cells + " cells of " + plan.warmup().toMillis() + " ms warm-up + "
                        + plan.window().toMillis() + " ms, random order");
                Progress progress = new Progress(err, cells);
                results.addAll(Harness.run(env, plan, (i, total, cell) -> {
                    if (i > 0) {
                        progress.finished();
                    }
                    progress.start(cell.label());
                }));
                progress.finished();
                progress.end();
            }
        }
        Summary.print(stdout, results);
        if (out != null) {
            try (Writer w = Files.newBufferedWriter(out.resolve("results.csv"))) {
                Csv.write(w, results);
            }
            List<Path> plots = Charts.write(out, results);
            stdout.println("wrote " + out.resolve("results.csv") + " and " + plots.size() / 2 + " charts (PNG + SVG) in " + out);
        }
        return results.stream().anyMatch(CellResult::failed) ? 1 : 0;
    }

    private Plan plan() {
        Plan plan = quick ? Plan.quick() : Plan.full();
        try {
            if (workloads != null) {
                List<Plan.Group> groups = new ArrayList<>();
                for (String w : workloads) {
                    groups.addAll(Plan.parse(w));
                }
                plan = plan.withGroups(quick ? groups.stream().map(g -> new Plan.Group(g.workload(), g.strategies(),
                        List.of(1, 64), 1)).toList() : groups);
            }
            plan = plan.override(strategies == null ? null : Strategies.named(strategies), clients, repeats);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (clients != null && clients.stream().anyMatch(c -> c < 1 || c > 512)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--clients must be between 1 and 512");
        }
        if (repeats != null && (repeats < 1 || repeats > 100)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--repeats must be between 1 and 100");
        }
        plan = plan.withTimes(duration("--warmup", warmup, plan.warmup()), duration("--seconds", seconds, plan.window()));
        if (plan.window().isZero()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--seconds must be more than 0");
        }
        if (plan.cells().isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "nothing to run: none of the chosen strategies applies to the chosen workloads");
        }
        return seed == null ? plan : plan.withSeed(seed);
    }

    private Duration duration(String option, Double value, Duration fallback) {
        if (value == null) {
            return fallback;
        }
        if (value < 0 || value > 600 || value.isNaN()) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " must be between 0 and 600 seconds");
        }
        return Duration.ofMillis(Math.round(value * 1000));
    }
}
