package dev.txkit.it.bank;

import dev.txkit.ErrorCode;
import dev.txkit.it.bank.BankSchema.LedgerRow;
import dev.txkit.it.bank.Outcome.Kind;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Checks the invariants of {@code shared/design/reliability.md} after one phase, against the
 * database as plain JDBC reads it: the total is conserved, no balance is negative, every balance
 * equals what the ledger says moved, every acknowledged operation has exactly one ledger row with
 * the receipt its client got, no operation that failed has one, an unknown outcome left at most
 * one (and none is left unresolved where a key can resolve it), the auditor only ever saw the
 * initial total, every failure is a {@code TxkitException} whose code is one this fault may cause,
 * every call ended within its budget, and nothing is left borrowed or open. Each violation is one
 * line (with up to three examples), so a failing phase says what went wrong.
 *
 * <p>Not thread-safe; one instance per phase.
 */
final class Checker {
    /** What the checker is given about one phase. */
    record Input(BankSchema.Snapshot snapshot, Workload.Result run, List<Workload.Record> afterwards,
                 Predicate<ErrorCode> expectedCodes, long budgetNanos, boolean faultExpected,
                 int borrowedConnections, int openTransactions, int serverOpenTransactions) {
    }

    private final Map<String, List<String>> violations = new LinkedHashMap<>();

    private void violation(String what, String example) {
        violations.computeIfAbsent(what, k -> new ArrayList<>()).add(example);
    }

    /** One line per kind of violation, with its count and up to three examples; empty when all hold. */
    List<String> check(Input in, boolean resolvable) {
        BankSchema.Snapshot s = in.snapshot();
        if (s.total() != BankSchema.TOTAL) {
            violation("total not conserved", s.total() + " instead of " + BankSchema.TOTAL);
        }
        long[] expected = new long[BankSchema.ACCOUNTS + 1];
        java.util.Arrays.fill(expected, BankSchema.INITIAL_BALANCE);
        Map<String, List<LedgerRow>> rowsByOp = new HashMap<>();
        for (LedgerRow r : s.ledger()) {
            expected[r.from()] -= r.amount();
            expected[r.to()] += r.amount();
            rowsByOp.computeIfAbsent(r.opId(), k -> new ArrayList<>()).add(r);
        }
        for (int id = 1; id <= BankSchema.ACCOUNTS; id++) {
            if (s.balances()[id] < 0) {
                violation("negative balance", "account " + id + ": " + s.balances()[id]);
            }
            if (s.balances()[id] != expected[id]) {
                violation("balance differs from the ledger (a lost or partial update)",
                        "account " + id + ": " + s.balances()[id] + ", ledger says " + expected[id]);
            }
        }
        Map<String, List<Outcome>> byOp = new LinkedHashMap<>();
        for (Workload.Record r : concat(in.run().records(), in.afterwards())) {
            byOp.computeIfAbsent(r.op().id(), k -> new ArrayList<>()).add(r.outcome());
            checkOutcome(r, in);
        }
        for (Map.Entry<String, List<Outcome>> e : byOp.entrySet()) {
            checkOp(e.getKey(), e.getValue(), rowsByOp.getOrDefault(e.getKey(), List.of()), resolvable);
        }
        for (String op : rowsByOp.keySet()) {
            if (!byOp.containsKey(op)) {
                violation("ledger row of an operation nobody submitted", op);
            }
        }
        checkRun(in);
        List<String> lines = new ArrayList<>();
        violations.forEach((what, examples) -> lines.add(what + ": " + examples.size() + " (e.g. "
                + String.join("; ", examples.subList(0, Math.min(3, examples.size()))) + ")"));
        return lines;
    }

    private void checkOutcome(Workload.Record r, Input in) {
        Outcome o = r.outcome();
        if (o.kind() == Kind.FOREIGN) {
            violation("failure that is not a TxkitException", r.op().id() + ": " + o.error());
        } else if (o.kind() != Kind.ACK && !in.expectedCodes().test(o.code())) {
            violation("failure code this fault does not explain", r.op().id() + ": " + o.error());
        }
        if (o.nanos() > in.budgetNanos()) {
            violation("call took longer than timeout + retry budget", r.op().id() + ": "
                    + o.nanos() / 1_000_000 + " ms > " + in.budgetNanos() / 1_000_000 + " ms");
        }
    }

    private void checkOp(String op, List<Outcome> outcomes, List<LedgerRow> rows, boolean resolvable) {
        Set<String> receipts = new java.util.TreeSet<>();
        boolean acked = false;
        boolean unknown = false;
        for (Outcome o : outcomes) {
            acked |= o.kind() == Kind.ACK;
            unknown |= o.kind() == Kind.UNKNOWN || o.kind() == Kind.FOREIGN;
            if (o.receipt() != null) {
                receipts.add(o.receipt());
            }
        }
        if (rows.size() > 1) {
            violation("operation applied more than once", op + ": " + rows.size() + " ledger rows");
        }
        if (acked) {
            if (rows.isEmpty()) {
                violation("acknowledged operation lost", op);
            } else if (receipts.size() != 1 || !receipts.contains(rows.get(0).receipt())) {
                violation("clients got receipts the ledger does not hold", op + ": " + receipts + " vs "
                        + rows.get(0).receipt());
            }
        } else if (!unknown && !rows.isEmpty()) {
            violation("failed operation applied", op + ": " + describe(outcomes));
        } else if (unknown && resolvable) {
            violation("COMMIT_UNKNOWN left unresolved", op + ": " + describe(outcomes));
        }
    }

    private void checkRun(Input in) {
        Workload.Audit a = in.run().audit();
        if (!a.wrongTotals().isEmpty()) {
            violation("auditor saw another total", a.wrongTotals().size() + " of " + a.reads() + " reads, e.g. "
                    + a.wrongTotals().get(0));
        }
        if (a.reads() == 0) {
            violation("auditor never completed a read", "failures " + a.failures());
        }
        a.foreign().forEach(t -> violation("auditor failure that is not a TxkitException", t.toString()));
        a.failures().keySet().stream().filter(c -> !in.expectedCodes().test(c))
                .forEach(c -> violation("auditor failure code this fault does not explain", c.name()));
        in.run().injectorErrors().forEach(t -> violation("fault injector failed", t.toString()));
        if (in.faultExpected() && in.run().faultsFired() == 0) {
            violation("the fault never hit a client", "0 fired");
        }
        if (in.run().records().stream().noneMatch(r -> r.outcome().kind() == Kind.ACK)) {
            violation("no transfer acknowledged (the phase proved nothing)", "0 acknowledged");
        }
        if (in.borrowedConnections() > 0) {
            violation("connections still borrowed from the pool", String.valueOf(in.borrowedConnections()));
        }
        if (in.openTransactions() > 0) {
            violation("txkit transactions still open", String.valueOf(in.openTransactions()));
        }
        if (in.serverOpenTransactions() > 0) {
            violation("sessions left idle in transaction", String.valueOf(in.serverOpenTransactions()));
        }
    }

    /** Each submission's end, in order, with the start of its message. */
    private static String describe(List<Outcome> outcomes) {
        List<String> parts = new ArrayList<>();
        for (Outcome o : outcomes) {
            String message = o.error() == null ? "" : " " + String.valueOf(o.error().getMessage()).lines().findFirst().orElse("");
            parts.add(o.kind() + message.substring(0, Math.min(message.length(), 240)));
        }
        return String.join(" / ", parts);
    }

    /** Submissions that failed, by code (COMMIT_UNKNOWN included). */
    static Map<String, Integer> failuresByCode(List<Workload.Record> records) {
        Map<String, Integer> out = new TreeMap<>();
        for (Workload.Record r : records) {
            Outcome o = r.outcome();
            if (o.kind() != Kind.ACK) {
                out.merge(o.code() == null ? o.error().getClass().getSimpleName() : o.code().name(), 1, Integer::sum);
            }
        }
        return out;
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
