/**
 * JMH micro-benchmarks of txkit's per-call costs (the ambient lookup, a routed statement). Not published.
 */
package dev.txkit.benchmarks;
