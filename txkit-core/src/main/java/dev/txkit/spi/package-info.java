/**
 * Extension points: where the ambient transaction is kept ({@link dev.txkit.spi.ContextStorage}), listeners
 * for transaction events ({@link dev.txkit.spi.TxListener}) and the bridge to another transaction manager
 * on the same DataSource ({@link dev.txkit.spi.TransactionBridge}).
 */
package dev.txkit.spi;
