package dev.txkit.cli;

import dev.txkit.internal.jdbc.Redaction;

import dev.txkit.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code txkit demo}: every seed scenario, the unprotected way and the txkit way, side by side. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the seed scenarios unprotected and with txkit, and report the anomalies of each.")
final class DemoCommand implements Callable<Integer> {
    static final Map<String, Scenario> SCENARIOS = new LinkedHashMap<>();

    static {
        for (Scenario s : List.of(new WalletScenario(), new SeatsScenario(), new TransferScenario(),
                new FootgunScenario(), new TimeoutScenario(), new IdempotentScenario(), new Conflict409Scenario())) {
            SCENARIOS.put(s.name(), s);
        }
    }

    @Spec
    private CommandSpec spec;

    @Option(names = "--url", description = "JDBC URL of a PostgreSQL or MariaDB database (default: an embedded PostgreSQL)")
    private String url;

    @Option(names = "--user", description = "database user")
    private String user;

    @Option(names = "--password", description = "database password", arity = "0..1", interactive = false)
    private String password;

    @Option(names = "--json", description = "print one JSON document instead of the table")
    private boolean json;

    @Option(names = "--verbose", description = "print stack traces of failures")
    private boolean verbose;

    @Parameters(paramLabel = "SCENARIO", arity = "0..*",
            description = "scenarios to run (default: all): wallet, seats, transfer, footgun, timeout, idempotent, conflict-409")
    private List<String> names = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        List<Scenario> chosen = new ArrayList<>();
        for (String n : names.isEmpty() ? List.copyOf(SCENARIOS.keySet()) : names) {
            Scenario s = SCENARIOS.get(n);
            if (s == null) {
                throw new BadInputException("unknown scenario '" + n + "'; choose from " + String.join(", ", SCENARIOS.keySet()));
            }
            chosen.add(s);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!json) {
            err.println(url == null ? "Starting an embedded PostgreSQL (nothing to install; data in a temp dir)..."
                    : "Connecting to " + redact(url) + "...");
        }
        List<Outcome> outcomes = new ArrayList<>();
        try (Target target = Target.open(url, user, password, 24);
             Database db = Database.builder(target.pool).build()) {
            Progress progress = json ? null : new Progress(err, chosen.size());
            DemoContext ctx = new DemoContext(target.naive, db, target.mariadb);
            for (Scenario s : chosen) {
                if (progress != null) {
                    progress.start(s.name());
                }
                outcomes.addAll(s.run(ctx));
                if (progress != null) {
                    progress.finished();
                }
            }
            if (progress != null) {
                progress.end();
            }
            if (json) {
                Report.json(out, target.description, outcomes);
            } else {
                Report.table(out, target.description, outcomes);
            }
        }
        boolean txkitAnomaly = outcomes.stream().anyMatch(o -> o.approach().equals("txkit") && o.anomalies() > 0);
        return txkitAnomaly ? 1 : 0;
    }

    /** A JDBC URL without credentials: user-info ({@code //user:password@host}), {@code user=}, {@code password=}. */
    static String redact(String url) {
        return Redaction.text(url);
    }
}
