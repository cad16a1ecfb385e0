package dev.txkit.benchmarks.harness.strategy;

import dev.txkit.benchmarks.harness.Access;
import dev.txkit.benchmarks.harness.Strategy;

/**
 * The name, backoff label and access mode every strategy reports, so each strategy class holds only
 * its {@code run}. Designed for extension by the strategies of this package.
 *
 * <p>Immutable; thread-safe.
 */
public abstract class Named implements Strategy {
    private final String name;
    private final String backoff;
    private final Access access;

    protected Named(String name, String backoff, Access access) {
        this.name = name;
        this.backoff = backoff;
        this.access = access;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String backoff() {
        return backoff;
    }

    @Override
    public final Access access() {
        return access;
    }
}
