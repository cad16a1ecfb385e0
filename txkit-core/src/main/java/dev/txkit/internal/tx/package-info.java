/**
 * Transactions: the physical transaction on its connection, joined and nested scopes, begin, savepoints, hooks, and the connection view for plain JDBC.
 *
 * <p>Not API: not exported by the module, may change in any release.
 */
package dev.txkit.internal.tx;
