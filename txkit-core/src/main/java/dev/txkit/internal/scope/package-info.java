/**
 * Carrying the ambient transaction to other threads: wrapped tasks and propagating executors.
 *
 * <p>Not API: not exported by the module, may change in any release.
 */
package dev.txkit.internal.scope;
