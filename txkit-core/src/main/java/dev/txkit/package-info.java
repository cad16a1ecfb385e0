/**
 * txkit's API: {@link dev.txkit.Database}, the entry point, and what it hands out and takes —
 * {@link dev.txkit.Transaction}, {@link dev.txkit.Sql}, {@link dev.txkit.TxOptions}, the callbacks, idempotency keys,
 * and the one exception, {@link dev.txkit.TxkitException} with its {@link dev.txkit.ErrorCode}.
 *
 * <p><b>Scopes and pools.</b> The transaction scope belongs to the pool, not to a {@code Database}: every
 * Database created over the same pool shares one ambient scope, one registry of open transactions and one
 * self-deadlock detector, so a second Database used inside a scope joins its transaction
 * ({@link dev.txkit.Propagation#REQUIRED}) or, in strict mode, fails at once. "The same pool" is found
 * through: a HikariCP {@code HikariDataSource}; any DataSource whose {@code unwrap} reaches one (Spring's
 * {@code DelegatingDataSource} family, e.g. {@code TransactionAwareDataSourceProxy} and
 * {@code LazyConnectionDataSourceProxy}, and proxies that forward {@code unwrap}); txkit's own
 * {@link dev.txkit.Database#dataSource()}; and a public {@code getTargetDataSource()} (Spring's delegating
 * DataSources over another pool). Any other DataSource is a pool of its own. The first Database over a
 * pool decides the shared context storage and detector settings; closing one leaves the others working.
 */
package dev.txkit;
