package dev.txkit.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import dev.txkit.internal.jdbc.Redaction;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code txkit} command line: {@code demo} runs the seed scenarios the unprotected way and the
 * txkit way; {@code doctor} checks a database's settings. Bad input (unknown option or scenario,
 * unreachable database, wrong password) ends with one line on stderr and exit code 2; the stack
 * trace only with {@code --verbose}.
 */
@Command(name = "txkit", mixinStandardHelpOptions = true, version = "txkit 0.1.0",
        description = "Safe, fast database transactions for Java — demo, diagnostics and benchmarks.",
        subcommands = {DemoCommand.class, DoctorCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit code for bad input of any kind. */
    public static final int BAD_INPUT = 2;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: try 'txkit demo' or 'txkit --help'");
    }

    /** The --password value and the passwords written into --url. */
    static List<String> secrets(String[] args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = a.contains("=") ? a.substring(a.indexOf('=') + 1) : i + 1 < args.length ? args[i + 1] : null;
            if (a.startsWith("--password") && value != null) {
                out.add(value);
            } else if (a.startsWith("--url") && value != null) {
                out.addAll(Redaction.secretsOf(value, null));
            }
        }
        return out;
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams and returns the exit code (used by tests). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((ex, a) -> {
            err.println("txkit: " + ex.getMessage());
            return BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean verbose = parseResult.subcommand() != null && parseResult.subcommand().hasMatchedOption("--verbose");
            // Drivers echo what they were given (MariaDB: "Incorrect port value : p4ssw0rd@host"): mask
            // every credential of the command line in everything printed, stack traces included
            List<String> secrets = secrets(args);
            err.println("txkit: " + Redaction.text(Failures.oneLine(ex), secrets));
            if (verbose) {
                Redaction.scrub(ex, secrets).printStackTrace(err);
            }
            err.flush();
            return BAD_INPUT;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }
}
