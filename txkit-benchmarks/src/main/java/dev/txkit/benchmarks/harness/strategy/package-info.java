/**
 * The strategies the harness compares, one class each: hand-written JDBC (naive, FOR UPDATE, atomic UPDATE,
 * SKIP LOCKED), txkit's ways, Spring with spring-retry, JDBI and a Prisma-style retry loop. Not published.
 */
package dev.txkit.benchmarks.harness.strategy;
