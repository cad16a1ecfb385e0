/**
 * Connections: bounded acquisition from HikariCP or any DataSource, the pool-exhaustion guard, connections borrowed outside a scope and the registry of who holds what.
 *
 * <p>Not API: not exported by the module, may change in any release.
 */
package dev.txkit.internal.pool;
