/**
 * Typed access to tables whose rows are Java records ({@link dev.txkit.table.Table}, {@link dev.txkit.table.Query}):
 * one statement per call, optimistic versions ({@link dev.txkit.table.Version @Version}), row locks and
 * the combined read-modify-write {@code Table.modify}. Not an ORM: no sessions, no lazy loading.
 */
package dev.txkit.table;
