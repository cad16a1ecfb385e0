package dev.txkit.benchmarks.harness.workload;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.DiscreteUniformSampler;
import org.apache.commons.rng.sampling.distribution.RejectionInversionZipfSampler;
import org.apache.commons.rng.sampling.distribution.SharedStateDiscreteSampler;
import org.apache.commons.rng.simple.RandomSource;

/**
 * Row ids 1..n drawn with Zipf skew θ (rank 1 = id 1 is the hottest; θ = 0 is uniform), from a
 * seeded generator so a client's sequence repeats from run to run.
 *
 * <p>Not thread-safe: one per client thread.
 */
final class Keys {
    private final UniformRandomProvider rng;
    private final SharedStateDiscreteSampler sampler;

    Keys(int n, double theta, long seed) {
        this.rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
        this.sampler = theta == 0 ? DiscreteUniformSampler.of(rng, 1, n) : RejectionInversionZipfSampler.of(rng, n, theta);
    }

    /** The next id, in 1..n. */
    long next() {
        return sampler.sample();
    }

    /** A uniform int in [0, bound). */
    int nextInt(int bound) {
        return rng.nextInt(bound);
    }
}
