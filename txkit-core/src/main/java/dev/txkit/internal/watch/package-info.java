/**
 * Per-Database watchers: the deadline watchdog and the self-deadlock detector with its lock-view probes.
 *
 * <p>Not API: not exported by the module, may change in any release.
 */
package dev.txkit.internal.watch;
