/**
 * txkit's test kit: throw-away databases ({@link dev.txkit.testing.TestDatabases}), the JUnit 5 extension
 * with rollback per test and a leak check ({@link dev.txkit.testing.TxkitExtension}), races and forced
 * interleavings ({@link dev.txkit.testing.Race}), and fault injection at the driver
 * ({@link dev.txkit.testing.FaultyDataSource}) and the wire ({@link dev.txkit.testing.TcpProxy}).
 */
package dev.txkit.testing;
