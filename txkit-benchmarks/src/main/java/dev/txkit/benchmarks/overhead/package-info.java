/**
 * The JMH overhead benchmark: what one short write transaction costs through txkit and its peers on a stub
 * driver, H2 and PostgreSQL. Not published.
 */
package dev.txkit.benchmarks.overhead;
