/**
 * Spring Boot auto-configuration for txkit: a {@code Database} over the application's DataSource, joined
 * with Spring-managed transactions in both directions, {@link dev.txkit.spring.TxkitTransactional @TxkitTransactional},
 * the {@code txkit.*} properties, ProblemDetail answers for {@code TxkitException} and Micrometer metrics.
 */
package dev.txkit.spring;
