/**
 * Work run at most once per idempotency key: claiming, replaying, resolving unknown COMMIT outcomes, and the key table's DDL.
 *
 * <p>Not API: not exported by the module, may change in any release.
 */
package dev.txkit.internal.idempotency;
