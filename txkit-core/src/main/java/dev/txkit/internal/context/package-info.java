/**
 * What every layer of one Database is given: its immutable settings, its listeners and problem reporting, argument checks.
 *
 * <p>Not API: not exported by the module, may change in any release.
 */
package dev.txkit.internal.context;
