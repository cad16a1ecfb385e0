/**
 * Micrometer meters for txkit: {@link dev.txkit.micrometer.TxkitMetrics}, a listener that times transactions
 * and attempts and counts retries and give-ups, and {@link dev.txkit.micrometer.ContentionGauges} over
 * contention control. Needs no Spring.
 */
package dev.txkit.micrometer;
