/**
 * jOOQ integration: {@link dev.txkit.jooq.TxkitTransactionProvider} runs {@code DSLContext.transaction(...)}
 * as txkit transactions, so jOOQ code and txkit code share one transaction.
 */
package dev.txkit.jooq;
