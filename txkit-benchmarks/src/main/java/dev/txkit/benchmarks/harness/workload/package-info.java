/**
 * The harness's contention workloads (W1 wallet, W2 transfers, W3 seats): their tables, operations and
 * end-of-cell invariants. Not published.
 */
package dev.txkit.benchmarks.harness.workload;
