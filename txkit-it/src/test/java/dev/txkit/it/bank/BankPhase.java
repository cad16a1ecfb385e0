package dev.txkit.it.bank;

import com.zaxxer.hikari.HikariDataSource;
import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.Isolation;
import dev.txkit.TxOptions;
import dev.txkit.it.bank.Outcome.Kind;
import dev.txkit.testing.DbKind;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Runs one phase of the bank suite end to end: a fresh pool and txkit {@link Database} (default
 * options) for the clients, the workload with its fault, then — faults over — COMMIT_UNKNOWN
 * outcomes resolved by resubmitting their idempotency key (and, in the idempotency phase, every
 * operation resubmitted once more), the leak counts, a snapshot, and the {@link Checker}.
 *
 * <p>The auditor reads {@code sum(balance)} through txkit in one transaction: on PostgreSQL at
 * REPEATABLE READ, read-only (one snapshot); on MariaDB at SERIALIZABLE, which turns the read into a
 * locking (shared) read — a plain REPEATABLE READ snapshot there can show read skew under this load.
 *
 * <p>Static methods; thread-safe.
 */
final class BankPhase {
    static final Duration LENGTH = Duration.ofSeconds(3);
    private static final int MAX_OPS = 5_000;
    private static final int POOL_SIZE = 20;

    private BankPhase() {
    }

    /** How clients transfer in a phase. */
    enum Clients {
        TXKIT(Strategy::keyed), NAIVE_AUTOCOMMIT(Strategy::naive), NAIVE_NO_KEY(Strategy::unkeyed);

        final Function<Database, Strategy> strategy;

        Clients(Function<Database, Strategy> strategy) {
            this.strategy = strategy;
        }
    }

    /** Makes the phase's fault once the admin connection exists. */
    @FunctionalInterface
    interface FaultFactory {
        Fault create(ServerAdmin admin) throws Exception;
    }

    /**
     * One phase.
     *
     * @param phase         its name in the figures
     * @param target        the server (checks and faults go straight to it)
     * @param clientUrl     where the clients connect (the target, or a proxy in front of it)
     * @param clients       the strategy
     * @param fault         the fault
     * @param faultExpected whether the fault must hit at least once for the phase to count
     * @param copies        1, or up to how many concurrent submissions each operation gets
     * @param expected      failure codes this fault can explain
     */
    record Setup(String phase, BankTarget target, String clientUrl, Clients clients, FaultFactory fault,
                 boolean faultExpected, int copies, Predicate<ErrorCode> expected) {
    }

    /** The violations found and the figures row. */
    record Verdict(List<String> violations, Figures.Row row) {
    }

    static Verdict run(Setup s) throws Exception {
        BankSchema.reset(s.target());
        String app = String.format("txkit-bank-%08x", ThreadLocalRandom.current().nextInt());
        CommitUnknownWatch watch = new CommitUnknownWatch();
        try (HikariDataSource pool = s.target().pool(s.clientUrl(), POOL_SIZE, app);
             ServerAdmin admin = new ServerAdmin(s.target(), app);
             Database db = Database.builder(pool).listener(watch).build()) {
            Strategy strategy = s.clients().strategy.apply(db);
            Duration budget = budget(db.defaults());
            Workload.Result run = new Workload(app, strategy, watch, auditor(db, s.target().kind()),
                    s.fault().create(admin), LENGTH, budget, MAX_OPS, s.copies()).run();
            List<Workload.Record> afterwards = new ArrayList<>();
            int resolvedAfter = 0;
            if (strategy.resolvable()) {
                afterwards.addAll(resolve(unresolved(run.records()), strategy, watch));
                resolvedAfter = (int) afterwards.stream().filter(r -> r.outcome().kind() == Kind.ACK).count();
                if (s.copies() > 1) { // the idempotency phase: every key once more, after the faults
                    afterwards.addAll(submitAll(distinctOps(run.records()), strategy, watch));
                }
            }
            Checker.Input input = new Checker.Input(BankSchema.read(s.target()), run, afterwards, s.expected(),
                    budget.toNanos(), s.faultExpected(), db.activeConnections(), db.openTransactions(),
                    admin.openTransactions());
            List<String> violations = new Checker().check(input, strategy.resolvable());
            return new Verdict(violations, row(s, strategy, run, resolvedAfter, watch.problems(), budget,
                    violations.size()));
        }
    }

    /**
     * What a call may take with these options: an idempotent call runs the transaction (all its
     * attempts within the retry budget, the last one up to its timeout after waiting up to maxWait
     * for a connection), after COMMIT_UNKNOWN looks the key up and runs it once more; plus 2 s slack.
     */
    static Duration budget(TxOptions o) {
        Duration once = o.retry().maxDuration().plus(o.maxWait()).plus(o.timeout());
        return once.multipliedBy(2).plus(o.maxWait()).plus(Duration.ofSeconds(2));
    }

    private static LongSupplier auditor(Database db, DbKind kind) {
        TxOptions options = kind == DbKind.POSTGRES
                ? TxOptions.defaults().withIsolation(Isolation.REPEATABLE_READ).withReadOnly(true)
                : TxOptions.defaults().withIsolation(Isolation.SERIALIZABLE);
        return () -> db.inTransaction(options,
                tx -> tx.sql("SELECT sum(balance) FROM account").one(BigDecimal.class)).longValueExact();
    }

    /** Operations no submission acknowledged, of which one ended COMMIT_UNKNOWN (or unexpectedly). */
    private static List<Op> unresolved(List<Workload.Record> records) {
        Map<String, Op> unknown = new LinkedHashMap<>();
        Map<String, Boolean> acked = new LinkedHashMap<>();
        for (Workload.Record r : records) {
            acked.merge(r.op().id(), r.outcome().kind() == Kind.ACK, Boolean::logicalOr);
            if (r.outcome().kind() == Kind.UNKNOWN || r.outcome().kind() == Kind.FOREIGN) {
                unknown.put(r.op().id(), r.op());
            }
        }
        unknown.keySet().removeIf(acked::get);
        return new ArrayList<>(unknown.values());
    }

    private static List<Op> distinctOps(List<Workload.Record> records) {
        Map<String, Op> ops = new LinkedHashMap<>();
        records.forEach(r -> ops.putIfAbsent(r.op().id(), r.op()));
        return new ArrayList<>(ops.values());
    }

    /**
     * What a client does with an unknown outcome: submit the same key again until it gets an answer.
     * Retryable failures (right after a restart the pool may still be reconnecting: HikariCP backs
     * off between attempts) are tried again, at most 10 rounds half a second apart.
     */
    private static List<Workload.Record> resolve(List<Op> ops, Strategy strategy, CommitUnknownWatch watch)
            throws Exception {
        List<Workload.Record> out = new ArrayList<>();
        List<Op> left = ops;
        for (int round = 0; round < 10 && !left.isEmpty(); round++) {
            if (round > 0) {
                Thread.sleep(500); // a client's pause between tries, not synchronisation
            }
            List<Workload.Record> tried = submitAll(left, strategy, watch);
            out.addAll(tried);
            left = tried.stream().filter(r -> r.outcome().kind() == Kind.UNKNOWN
                    || r.outcome().kind() == Kind.FAILED && r.outcome().code().retryable()).map(Workload.Record::op).toList();
        }
        return out;
    }

    /** Submits each operation once, 8 at a time, with no fault running. */
    private static List<Workload.Record> submitAll(List<Op> ops, Strategy strategy, CommitUnknownWatch watch)
            throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<Workload.Record>> futures = new ArrayList<>();
            for (Op op : ops) {
                futures.add(threads.submit(() -> new Workload.Record(op,
                        Outcome.of(() -> strategy.transfer().submit(op), watch))));
            }
            List<Workload.Record> out = new ArrayList<>();
            for (Future<Workload.Record> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            threads.shutdownNow();
        }
    }

    private static Figures.Row row(Setup s, Strategy strategy, Workload.Result run, int resolvedAfter, int warnings,
                                   Duration budget, int violations) {
        List<Workload.Record> rs = run.records();
        long acked = rs.stream().filter(r -> r.outcome().kind() == Kind.ACK).map(r -> r.op().id()).distinct().count();
        int inside = (int) rs.stream().filter(r -> r.outcome().kind() == Kind.ACK && r.outcome().unknownInside()).count();
        long maxNanos = rs.stream().mapToLong(r -> r.outcome().nanos()).max().orElse(0);
        return new Figures.Row(s.target().kind().name(), s.phase(), strategy.name(), distinctOps(rs).size(), rs.size(),
                (int) acked, Checker.failuresByCode(rs), inside, resolvedAfter, run.faultsFired(), run.audit().reads(),
                run.audit().failures().values().stream().mapToInt(Integer::intValue).sum(), warnings, maxNanos / 1_000_000, budget.toMillis(), violations, run.elapsed().toMillis() / 1000.0);
    }
}
