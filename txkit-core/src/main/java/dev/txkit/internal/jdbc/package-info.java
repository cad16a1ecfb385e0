/**
 * Plain JDBC work: binding values, mapping rows, translating driver errors, statements in flight and the executors they run on.
 *
 * <p>Not API: not exported by the module, may change in any release.
 */
package dev.txkit.internal.jdbc;
