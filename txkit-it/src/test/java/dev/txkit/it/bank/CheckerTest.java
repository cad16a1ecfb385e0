package dev.txkit.it.bank;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;
import dev.txkit.it.bank.BankSchema.LedgerRow;
import dev.txkit.it.bank.Outcome.Kind;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every check of the bank suite's {@link Checker} can fail: each test breaks one invariant in an
 * otherwise clean phase and expects exactly that violation. (The NAIVE phases of
 * {@link BankFaultsIT} show the same on real databases for the total, ledger, auditor and double-charge checks.)
 */
class CheckerTest {
    private static final long BUDGET = Duration.ofSeconds(1).toNanos();

    private final List<LedgerRow> ledger = new ArrayList<>();
    private final List<Workload.Record> records = new ArrayList<>();
    private final long[] balances = new long[BankSchema.ACCOUNTS + 1];
    private List<Long> wrongTotals = List.of();
    private int borrowed;
    private int serverOpen;

    CheckerTest() {
        Arrays.fill(balances, BankSchema.INITIAL_BALANCE);
        balances[0] = 0;
        acked("op-1", 1, 2, 10, "r1");
        acked("op-2", 3, 4, 20, "r2");
        records.add(record("op-3", new Outcome(Kind.FAILED, ErrorCode.DEADLOCK, null, 1, false,
                TxkitException.of(ErrorCode.DEADLOCK, "victim"))));
    }

    private void acked(String op, int from, int to, long amount, String receipt) {
        ledger.add(new LedgerRow(op, from, to, amount, receipt));
        balances[from] -= amount;
        balances[to] += amount;
        records.add(record(op, new Outcome(Kind.ACK, null, receipt, 1, false, null)));
    }

    private static Workload.Record record(String op, Outcome outcome) {
        return new Workload.Record(new Op(op, 1, 2, 10), outcome);
    }

    private List<String> check() {
        Workload.Result run = new Workload.Result(records, new Workload.Audit(5, wrongTotals, Map.of(), List.of()),
                1, List.of(), Duration.ofSeconds(1));
        Checker.Input in = new Checker.Input(new BankSchema.Snapshot(balances, ledger), run, List.of(),
                code -> code == ErrorCode.DEADLOCK || code == ErrorCode.COMMIT_UNKNOWN, BUDGET, true,
                borrowed, 0, serverOpen);
        return new Checker().check(in, true);
    }

    @Test
    void aCleanPhaseHasNoViolation() {
        assertThat(check()).isEmpty();
    }

    @Test
    void anAcknowledgedTransferWithoutItsLedgerRowIsLost() {
        ledger.remove(0);
        balances[1] += 10;
        balances[2] -= 10;
        assertThat(check()).singleElement().asString().startsWith("acknowledged operation lost: 1");
    }

    @Test
    void aFailedTransferThatLeftARowWasApplied() {
        ledger.add(new LedgerRow("op-3", 1, 2, 0, "declined-x"));
        assertThat(check()).singleElement().asString().startsWith("failed operation applied: 1");
    }

    @Test
    void aSecondRowForOneOperationIsADoubleCharge() {
        ledger.add(new LedgerRow("op-2", 3, 4, 0, "declined-y"));
        assertThat(check()).singleElement().asString().startsWith("operation applied more than once: 1");
    }

    @Test
    void aBalanceTheLedgerDoesNotExplainIsALostUpdate() {
        balances[5] += 7;
        balances[6] -= 7;
        assertThat(check()).singleElement().asString().startsWith("balance differs from the ledger");
    }

    @Test
    void moneyCreatedOrDestroyedBreaksTheTotal() {
        balances[5] += 7;
        assertThat(check()).anyMatch(l -> l.startsWith("total not conserved: 1 (e.g. 20007"));
    }

    @Test
    void anUnexplainedCodeAForeignExceptionAndASlowCallAreEachReported() {
        records.add(record("op-4", new Outcome(Kind.FAILED, ErrorCode.SQL_ERROR, null, 1, false,
                TxkitException.of(ErrorCode.SQL_ERROR, "syntax"))));
        records.add(record("op-5", new Outcome(Kind.FOREIGN, null, null, 1, false, new IllegalStateException("x"))));
        records.add(record("op-6", new Outcome(Kind.FAILED, ErrorCode.DEADLOCK, null, BUDGET + 1, false,
                TxkitException.of(ErrorCode.DEADLOCK, "victim"))));
        assertThat(check()).anyMatch(l -> l.startsWith("failure code this fault does not explain: 1"))
                .anyMatch(l -> l.startsWith("failure that is not a TxkitException: 1"))
                .anyMatch(l -> l.startsWith("call took longer than timeout + retry budget: 1"))
                .anyMatch(l -> l.startsWith("COMMIT_UNKNOWN left unresolved: 1 (e.g. op-5"));
    }

    @Test
    void anUnknownOutcomeMustBeResolvedWhenAKeyCanResolveIt() {
        records.add(record("op-7", new Outcome(Kind.UNKNOWN, ErrorCode.COMMIT_UNKNOWN, null, 1, true,
                TxkitException.of(ErrorCode.COMMIT_UNKNOWN, "lost"))));
        assertThat(check()).singleElement().asString().startsWith("COMMIT_UNKNOWN left unresolved: 1 (e.g. op-7");
    }

    @Test
    void theAuditorSeeingAnotherTotalIsAnAnomaly() {
        wrongTotals = List.of(19_990L);
        assertThat(check()).singleElement().asString().startsWith("auditor saw another total");
    }

    @Test
    void aBorrowedConnectionAndASessionIdleInTransactionAreLeaks() {
        borrowed = 1;
        serverOpen = 2;
        assertThat(check()).containsExactly("connections still borrowed from the pool: 1 (e.g. 1)",
                "sessions left idle in transaction: 1 (e.g. 2)");
    }
}
