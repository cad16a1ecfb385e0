package dev.txkit.it.galera;

import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.TxOptions;
import dev.txkit.retry.RetryPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The bank workload on a real 3-node Galera cluster: clients on all three nodes, then the same
 * with one node SIGKILLed mid-run and rejoined. Invariants after each run: total conserved, no
 * negative balance, every acknowledged transfer has exactly one ledger row and no other row
 * exists, the auditor only ever saw the initial total, and all three nodes hold the same data.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GaleraBankIT {
    private static final int CLIENTS = 12;
    private String name;
    private final List<Database> dbs = new ArrayList<>();

    @BeforeAll
    void cluster() {
        Galera.assumeUp();
        name = Galera.createDatabase("gbank");
    }

    @AfterAll
    void drop() {
        dbs.forEach(Database::close);
        if (name != null) {
            Galera.dropDatabase(name);
        }
    }

    /** One Database per node, each over a failover URL that starts at its own node. */
    private List<Database> perNode() {
        List<Database> out = new ArrayList<>();
        for (int node = 0; node < Galera.NODES; node++) {
            Database db = Database.create(Galera.pool(Galera.failoverUrl(node, name), CLIENTS / Galera.NODES + 2));
            dbs.add(db);
            out.add(db);
        }
        return out;
    }

    @Test
    @Order(1)
    void transfers_from_all_nodes_keep_every_invariant_with_the_default_policy() throws Exception {
        GaleraBank.create(name);
        GaleraBank.Result r = GaleraBank.run(perNode(), CLIENTS, 12, TxOptions.defaults().withRetry(RetryPolicy.defaults()), 0, null);
        report("no fault", r);
        checkInvariants(r);
        // Row locks do not cross nodes: 12 clients on 20 accounts lose certification on ~25 % of
        // attempts, and the unlucky transfer loses several times in a row (deepest retry measured
        // 6-9 of the default 10 attempts; one give-up in ~5000 transfers seen once in CI). No other
        // failure is allowed; conflict give-ups are bounded at 0.1 % of the transfers.
        assertThat(r.failures().keySet()).as("no failure but a conflict give-up with the default policy")
                .isSubsetOf(Set.of(ErrorCode.CONFLICT));
        assertThat(r.failures().getOrDefault(ErrorCode.CONFLICT, 0)).as("conflict give-ups across nodes")
                .isLessThanOrEqualTo(r.acknowledged().size() / 1000);
        assertThat(r.retries()).as("the clients did collide across nodes").isNotEmpty();
    }

    @Test
    @Order(2)
    void a_node_killed_mid_run_costs_no_acknowledged_transfer_and_rejoins() throws Exception {
        GaleraBank.create(name);
        long[] downAt = new long[1];
        GaleraBank.Result r;
        boolean quorumHeld;
        List<String> lapses;
        TxOptions options = TxOptions.defaults().withRetry(RetryPolicy.defaults());
        try (QuorumWatch survivors = new QuorumWatch(name, 0, 1)) {
            r = GaleraBank.run(perNode(), CLIENTS, 20, options, 200, () -> {
                downAt[0] = System.nanoTime();
                Galera.kill(2);
            });
            quorumHeld = survivors.quorumHeld();
            lapses = survivors.lapses();
        } finally {
            Galera.restart(2); // whatever happened, the next test gets a whole cluster
        }
        report("node 3 killed", r);
        Database settler = Database.create(Galera.pool(Galera.failoverUrl(0, name), 2));
        dbs.add(settler);
        r = GaleraBank.settle(settler, options, r);
        assertThat(r.unresolved()).as("unknown outcomes still unresolved on the whole cluster").isEmpty();
        checkInvariants(r);
        assertThat(downAt[0]).as("the node was killed during the run").isNotZero();
        // Lost connections before COMMIT are retried on the next node and never surface; what may
        // remain are resolved unknown outcomes (a connection lost in COMMIT, or 1180 "Not connected
        // to Primary Component" there) and failures that committed nothing, each typed: conflict
        // give-ups, a connection lost again on the next node, and, while the survivors freeze for the
        // node's suspect timeout, admissions or transactions that waited out the 5 s timeout behind
        // the freeze (TIMEOUT is never raised once COMMIT is sent) or a pool that had no connection
        // within maxWait. An untyped SQL_ERROR, a constraint or a logic error fails the test.
        Map<ErrorCode, Integer> nothingCommitted = new EnumMap<>(ErrorCode.class);
        nothingCommitted.putAll(r.failures());
        nothingCommitted.remove(ErrorCode.COMMIT_UNKNOWN);
        assertThat(nothingCommitted.keySet()).as("no failure but an unknown outcome or one that committed nothing")
                .isSubsetOf(Set.of(ErrorCode.CONFLICT, ErrorCode.ADMISSION_TIMEOUT, ErrorCode.ACQUIRE_TIMEOUT,
                        ErrorCode.TIMEOUT, ErrorCode.CONNECTION_FAILURE));
        int gaveUp = nothingCommitted.values().stream().mapToInt(Integer::intValue).sum();
        // The 1 % bound is about riding out one node's loss. If the machine stalls both survivors
        // together for longer than evs.inactive_timeout, each declares the other gone and the
        // cluster has no primary component until the killed node returns (seen: 3.5 min): nothing
        // can be written anywhere, and every client call fails (typed, as checked above) for as long.
        assumeTrue(quorumHeld, () -> "the survivors lost the primary component during the run ("
                + lapses + "): invariants held and every failure was typed, but " + gaveUp
                + " failures in an outage say nothing about riding out one node's loss");
        assertThat(gaveUp).as("failures that committed nothing during node loss")
                .isLessThanOrEqualTo(r.acknowledged().size() / 100);
    }

    private void checkInvariants(GaleraBank.Result r) {
        assertThat(r.acknowledged()).as("transfers acknowledged").isNotEmpty();
        List<String> reference = null;
        for (int node = 0; node < Galera.NODES; node++) {
            assertThat(Galera.scalar(node, name, "SELECT SUM(balance) FROM account"))
                    .as("total on node " + (node + 1)).isEqualTo(GaleraBank.ACCOUNTS * GaleraBank.INITIAL);
            assertThat(Galera.scalar(node, name, "SELECT COUNT(*) FROM account WHERE balance < 0")).isZero();
            List<String> state = Galera.rows(node, name, "SELECT id, balance FROM account ORDER BY id");
            if (reference == null) {
                reference = state;
            } else {
                assertThat(state).as("node " + (node + 1) + " identical to node 1").isEqualTo(reference);
            }
        }
        Set<String> ledger = new HashSet<>(Galera.rows(0, name, "SELECT op FROM ledger"));
        Set<String> lost = new HashSet<>(r.acknowledged());
        lost.removeAll(ledger);
        Set<String> unacknowledged = new HashSet<>(ledger);
        unacknowledged.removeAll(r.acknowledged());
        assertThat(lost).as("acknowledged transfers without a ledger row").isEmpty();
        assertThat(unacknowledged).as("ledger rows of transfers that were not acknowledged").isEmpty();
        assertThat(r.auditedTotals()).as("the auditor saw only the initial total")
                .allMatch(t -> t == GaleraBank.ACCOUNTS * GaleraBank.INITIAL);
        assertThat(r.audits()).as("the auditor ran").isPositive();
    }

    private static void report(String phase, GaleraBank.Result r) {
        System.out.printf("galera bank [%s]: %d acknowledged, failures %s, retries %s, %d COMMIT_UNKNOWN resolved, "
                        + "max latency %d ms, deepest retry %d, %d audits, %d left unknown until the cluster was whole%n", phase,
                r.acknowledged().size(), r.failures(), r.retries(), r.commitUnknownResolved(), r.maxLatencyMillis(),
                r.deepestRetry(), r.audits(), r.unresolved().size());
        r.firstFailureMessages().forEach(m -> System.out.println("galera bank [" + phase + "] failure: " + m));
    }
}
