package dev.txkit.benchmarks.harness;

import dev.txkit.benchmarks.harness.strategy.Atomic;
import dev.txkit.benchmarks.harness.strategy.ForUpdate;
import dev.txkit.benchmarks.harness.strategy.JdbiSerializable;
import dev.txkit.benchmarks.harness.strategy.Naive;
import dev.txkit.benchmarks.harness.strategy.Occ;
import dev.txkit.benchmarks.harness.strategy.PrismaLoop;
import dev.txkit.benchmarks.harness.strategy.SerializableRetry;
import dev.txkit.benchmarks.harness.strategy.SkipLocked;
import dev.txkit.benchmarks.harness.strategy.SpringRetry;
import dev.txkit.benchmarks.harness.strategy.TxkitDefaults;
import dev.txkit.benchmarks.harness.strategy.TxkitDefaultsRr;
import dev.txkit.benchmarks.harness.strategy.TxkitForUpdate;
import dev.txkit.benchmarks.harness.strategy.TxkitModify;
import dev.txkit.benchmarks.harness.strategy.TxkitOptimistic;
import dev.txkit.benchmarks.harness.strategy.TxkitRowKey;
import dev.txkit.benchmarks.harness.strategy.TxkitSkipLocked;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every strategy by name, in the order tables and plots list them. Adding a strategy = one class in
 * {@code strategy} plus one line here.
 *
 * <p>Immutable; thread-safe.
 */
public final class Strategies {
    private static final Map<String, Strategy> ALL = new LinkedHashMap<>();

    static {
        for (Strategy s : List.of(new Naive(), new Atomic(), new ForUpdate(), new Occ(), new SerializableRetry(),
                new PrismaLoop(), new SpringRetry(), new JdbiSerializable(), new TxkitDefaults(), new TxkitDefaultsRr(),
                new TxkitRowKey(), new TxkitOptimistic(), new TxkitForUpdate(), new TxkitModify(), new SkipLocked(), new TxkitSkipLocked())) {
            ALL.put(s.name(), s);
        }
    }

    private Strategies() {
    }

    /** Every strategy, by name. */
    public static Map<String, Strategy> all() {
        return Collections.unmodifiableMap(ALL);
    }

    /** The strategy called {@code name}, or null. */
    public static Strategy named(String name) {
        return ALL.get(name);
    }

    /** The named strategies, in the given order; an unknown name is an IllegalArgumentException naming the choices. */
    public static List<Strategy> named(List<String> names) {
        return names.stream().map(n -> {
            Strategy s = ALL.get(n);
            if (s == null) {
                throw new IllegalArgumentException("unknown strategy '" + n + "'; choose from " + String.join(", ", ALL.keySet()));
            }
            return s;
        }).toList();
    }
}
