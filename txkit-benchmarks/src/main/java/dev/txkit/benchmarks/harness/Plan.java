package dev.txkit.benchmarks.harness;

import dev.txkit.benchmarks.harness.workload.Seats;
import dev.txkit.benchmarks.harness.workload.Transfers;
import dev.txkit.benchmarks.harness.workload.Wallet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Which cells to run: groups of (workload, strategies, client counts, repeats) plus the warm-up and the
 * measured window of every cell. {@link #quick()} and {@link #full()} are the two documented sizes.
 *
 * <p>Immutable; thread-safe.
 */
public record Plan(List<Group> groups, Duration warmup, Duration window, long seed) {

    /** The client counts of the full sweep. */
    public static final List<Integer> CLIENTS = List.of(1, 4, 16, 64);
    /** W1's and W3-seat's strategies: everything that can run a read-modify-write of one row. */
    public static final List<String> ROW_STRATEGIES = List.of("naive", "atomic", "for-update", "occ", "serializable",
            "prisma", "spring-retry", "jdbi", "txkit-default", "txkit-default-rr", "txkit-optimistic", "txkit-for-update",
            "txkit-modify");
    /** The peers and txkit's own strategies (and NAIVE, to show its anomaly): {@code --quick}. */
    public static final List<String> QUICK_STRATEGIES = List.of("naive", "atomic", "for-update", "spring-retry", "jdbi",
            "prisma", "txkit-default", "txkit-optimistic", "txkit-for-update", "txkit-modify");
    static final List<String> UNORDERED_STRATEGIES = List.of("atomic", "for-update", "txkit-for-update");
    static final List<String> QUEUE_STRATEGIES = List.of("naive", "for-update", "skip-locked", "txkit-skip-locked",
            "txkit-default");

    /** Cells of one workload. */
    public record Group(Workload workload, List<Strategy> strategies, List<Integer> clients, int repeats) {
    }

    /** About a minute: W1 at 1 and 64 clients, the peers and txkit's strategies, 2 s cells. */
    public static Plan quick() {
        return new Plan(List.of(new Group(new Wallet(), Strategies.named(QUICK_STRATEGIES), List.of(1, 64), 1)),
                Duration.ofMillis(500), Duration.ofSeconds(2), 42);
    }

    /**
     * The full run, sized for ≤ 12 minutes per database on 2 cores (≈ 230 cells of 0.5 s warm-up + 1.5 s):
     * W1 every row strategy × 1/4/16/64 clients, c = 64 three times; W2 n = 1000 θ = 0.99 swept, and
     * n = 10 θ = 0, n = 1000 θ = 0 and 0.8, n = 100 000 θ = 0.99 at c = 64; the unordered variant (n = 10)
     * swept with the locking strategies; W3 "this seat" swept with every row strategy, "any seat" with
     * the queue strategies.
     */
    public static Plan full() {
        List<Strategy> row = Strategies.named(ROW_STRATEGIES);
        List<Group> g = new ArrayList<>();
        Wallet w1 = new Wallet();
        g.add(new Group(w1, row, CLIENTS, 1));
        g.add(new Group(w1, row, List.of(64), 2));
        g.add(new Group(new Transfers(1000, 0.99, true), row, CLIENTS, 1));
        for (Transfers t : List.of(new Transfers(10, 0, true), new Transfers(1000, 0, true),
                new Transfers(1000, 0.8, true), new Transfers(100_000, 0.99, true))) {
            g.add(new Group(t, row, List.of(64), 1));
        }
        g.add(new Group(new Transfers(10, 0, false), Strategies.named(UNORDERED_STRATEGIES), CLIENTS, 1));
        g.add(new Group(new Seats(false), row, CLIENTS, 1));
        g.add(new Group(new Seats(true), Strategies.named(QUEUE_STRATEGIES), CLIENTS, 1));
        return new Plan(g, Duration.ofMillis(500), Duration.ofMillis(1500), 42);
    }

    /** The same groups with other timings. */
    public Plan withTimes(Duration warmup, Duration window) {
        return new Plan(groups, warmup, window, seed);
    }

    /**
     * The groups for one {@code --workloads} entry, with their default strategies and clients:
     * {@code W1}; {@code W2} (the full run's W2 groups) or {@code W2:N:θ}; {@code W2u} (n = 10, θ = 0) or
     * {@code W2u:N:θ}; {@code W3} (both modes), {@code W3-seat}, {@code W3-any}.
     *
     * @throws IllegalArgumentException naming the accepted forms
     */
    public static List<Group> parse(String spec) {
        String[] p = spec.trim().split(":");
        String kind = p[0].toUpperCase(java.util.Locale.ROOT);
        List<Strategy> row = Strategies.named(ROW_STRATEGIES);
        try {
            if (p.length == 3 && (kind.equals("W2") || kind.equals("W2U"))) {
                Transfers t = new Transfers(Integer.parseInt(p[1]), Double.parseDouble(p[2]), kind.equals("W2"));
                return List.of(new Group(t, t.ordered() ? row : Strategies.named(UNORDERED_STRATEGIES), CLIENTS, 1));
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad workload '" + spec + "': N and θ must be numbers, e.g. W2:1000:0.99");
        }
        if (p.length == 1) {
            switch (kind) {
                case "W1":
                    return List.of(new Group(new Wallet(), row, CLIENTS, 1));
                case "W2":
                    return full().groups().stream().filter(g -> g.workload().name().equals("W2-transfer")).toList();
                case "W2U":
                    return List.of(new Group(new Transfers(10, 0, false), Strategies.named(UNORDERED_STRATEGIES), CLIENTS, 1));
                case "W3":
                    return List.of(new Group(new Seats(false), row, CLIENTS, 1),
                            new Group(new Seats(true), Strategies.named(QUEUE_STRATEGIES), CLIENTS, 1));
                case "W3-SEAT":
                    return List.of(new Group(new Seats(false), row, CLIENTS, 1));
                case "W3-ANY":
                    return List.of(new Group(new Seats(true), Strategies.named(QUEUE_STRATEGIES), CLIENTS, 1));
                default:
                    break;
            }
        }
        throw new IllegalArgumentException("unknown workload '" + spec + "'; choose from W1, W2, W2:N:THETA, W2u, "
                + "W2u:N:THETA, W3, W3-seat, W3-any");
    }

    /** This plan with other groups. */
    public Plan withGroups(List<Group> newGroups) {
        return new Plan(List.copyOf(newGroups), warmup, window, seed);
    }

    /**
     * This plan with every group's strategies, clients or repeats replaced (a null argument keeps them).
     * Groups that become the same workload and strategies (the full plan's extra c = 64 repeats of W1)
     * are merged, keeping the most repeats.
     */
    public Plan override(List<Strategy> strategies, List<Integer> clients, Integer repeats) {
        Map<List<Object>, Group> merged = new LinkedHashMap<>();
        for (Group x : groups) {
            Group g = new Group(x.workload(), strategies != null ? strategies : x.strategies(),
                    clients != null ? clients : x.clients(), repeats != null ? repeats : x.repeats());
            merged.merge(List.of(g.workload(), g.strategies(), g.clients()), g,
                    (a, b) -> a.repeats() >= b.repeats() ? a : b);
        }
        return withGroups(new ArrayList<>(merged.values()));
    }

    /** This plan with another seed for the cell order. */
    public Plan withSeed(long newSeed) {
        return new Plan(groups, warmup, window, newSeed);
    }

    /** Every cell, each repeat its own, in a random order (seeded: a run can be repeated in the same order). */
    public List<CellRunner.Spec> cells() {
        List<CellRunner.Spec> cells = new ArrayList<>();
        for (Group group : groups) {
            for (Strategy s : group.strategies()) {
                if (!group.workload().supports(s.access())) {
                    continue;
                }
                for (int c : group.clients()) {
                    for (int r = 0; r < group.repeats(); r++) {
                        cells.add(new CellRunner.Spec(group.workload(), s, c, 0));
                    }
                }
            }
        }
        Collections.shuffle(cells, new Random(seed));
        // number the repeats of each cell in the order they will run
        List<CellRunner.Spec> numbered = new ArrayList<>();
        for (CellRunner.Spec s : cells) {
            int repeat = (int) numbered.stream().filter(o -> o.workload() == s.workload() && o.strategy() == s.strategy()
                    && o.clients() == s.clients()).count() + 1;
            numbered.add(new CellRunner.Spec(s.workload(), s.strategy(), s.clients(), repeat));
        }
        return numbered;
    }

    /** The most clients any cell uses (the pool must hold this many, plus one for the auditor). */
    public int maxClients() {
        return groups.stream().flatMap(g -> g.clients().stream()).mapToInt(Integer::intValue).max().orElse(1);
    }
}
