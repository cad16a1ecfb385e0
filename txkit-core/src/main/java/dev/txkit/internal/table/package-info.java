/**
 * The {@code dev.txkit.table} implementation: record metadata, generated SQL, queries, inserts and optimistic read-modify-write.
 *
 * <p>Not API: not exported by the module, may change in any release.
 */
package dev.txkit.internal.table;
