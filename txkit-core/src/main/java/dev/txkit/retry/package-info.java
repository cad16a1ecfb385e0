/**
 * When and how a failed transaction runs again: {@link dev.txkit.retry.RetryPolicy} (attempts, full-jitter
 * backoff, time budget, retried codes) and {@link dev.txkit.retry.RetriesExhaustedException}, thrown once it
 * gives up.
 */
package dev.txkit.retry;
