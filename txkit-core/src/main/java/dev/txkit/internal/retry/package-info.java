/**
 * The one retry loop every transaction path runs through: attempts, backoff, budget, retry events and giving up.
 *
 * <p>Not API: not exported by the module, may change in any release.
 */
package dev.txkit.internal.retry;
