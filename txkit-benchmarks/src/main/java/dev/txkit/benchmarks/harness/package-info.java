/**
 * The contention harness behind {@code txkit bench}: plans of cells (workload × strategy × clients), their
 * runner, the invariant audit after each cell, and the CSV, summaries and charts it writes. Not published.
 */
package dev.txkit.benchmarks.harness;
