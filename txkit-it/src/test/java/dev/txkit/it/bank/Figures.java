package dev.txkit.it.bank;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The suite's figures, one row per database and phase, printed as a table to stdout and written to
 * {@code target/faults/bank.csv}.
 *
 * <p>Thread-safe (rows are added from the test thread; {@link #add} is synchronized).
 */
final class Figures {
    /**
     * One phase on one database.
     *
     * @param db          database
     * @param phase       fault injected
     * @param strategy    how clients transfer
     * @param ops         distinct operations
     * @param submissions submissions of them (more than ops in the idempotency phase)
     * @param acked       operations acknowledged to their client during the phase
     * @param failures    failed submissions by code (COMMIT_UNKNOWN = seen by the client)
     * @param cuInside    acknowledged calls during which txkit met COMMIT_UNKNOWN and resolved it by the key
     * @param cuAfter     operations left COMMIT_UNKNOWN at the client, resolved afterwards by resubmitting the key
     * @param faults      faults that hit (sessions killed, statements cancelled, connections cut, restarts)
     * @param audits      auditor reads of the total
     * @param auditFails  auditor reads that failed (killed, cut, deadlock victim…)
     * @param warnings    txkit's problem reports (state it could not restore on a lost connection)
     * @param maxMs       slowest call
     * @param budgetMs    the bound every call must keep
     * @param violations  invariant violations found (must be 0 for txkit, more than 0 for NAIVE)
     * @param seconds     phase run time
     */
    record Row(String db, String phase, String strategy, int ops, int submissions, int acked,
               Map<String, Integer> failures, int cuInside, int cuAfter, int faults, int audits,
               int auditFails, int warnings, long maxMs, long budgetMs, int violations, double seconds) {
    }

    private static final String[] HEADER = {"db", "phase", "strategy", "ops", "subm", "acked", "failures by code",
        "CU in txkit", "CU after", "faults", "audits", "audit fails", "warnings", "max ms", "budget ms", "violations", "s"};

    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    /** Adds a row and, under the table, the violations its checker reported. */
    synchronized void add(Row row, List<String> violations) {
        rows.add(row);
        for (String v : violations) {
            notes.add(row.db() + " / " + row.phase() + " / " + row.strategy() + ": " + v);
        }
    }

    private static String[] cells(Row r) {
        String failures = r.failures().isEmpty() ? "-" : r.failures().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
        return new String[] {r.db(), r.phase(), r.strategy(), str(r.ops()), str(r.submissions()), str(r.acked()),
            failures, str(r.cuInside()), str(r.cuAfter()), str(r.faults()), str(r.audits()), str(r.auditFails()), str(r.warnings()), str(r.maxMs()),
            str(r.budgetMs()), str(r.violations()), String.format("%.1f", r.seconds())};
    }

    private static String str(long n) {
        return Long.toString(n);
    }

    /** The rows as a fixed-width text table. */
    synchronized String table() {
        List<String[]> lines = new ArrayList<>();
        lines.add(HEADER);
        rows.forEach(r -> lines.add(cells(r)));
        int[] width = new int[HEADER.length];
        for (String[] l : lines) {
            for (int i = 0; i < l.length; i++) {
                width[i] = Math.max(width[i], l[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] l : lines) {
            for (int i = 0; i < l.length; i++) {
                out.append(i == 0 ? "| " : " | ").append(String.format("%-" + width[i] + "s", l[i]));
            }
            out.append(" |").append(System.lineSeparator());
        }
        if (!notes.isEmpty()) {
            out.append("Violations found:").append(System.lineSeparator());
            notes.forEach(n -> out.append("  ").append(n).append(System.lineSeparator()));
        }
        return out.toString();
    }

    /** Writes the rows as CSV (failures as {@code CODE=n} separated by spaces) and returns the path. */
    synchronized Path writeCsv(Path file) {
        List<String> lines = new ArrayList<>();
        lines.add(String.join(",", HEADER).replace(' ', '_'));
        for (Row r : rows) {
            lines.add(String.join(",", cells(r)));
        }
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
