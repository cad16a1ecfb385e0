package dev.txkit.spring;

import dev.txkit.ErrorCode;
import dev.txkit.Isolation;
import dev.txkit.TxkitException;
import dev.txkit.spi.TransactionBridge;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import javax.sql.DataSource;

/**
 * Spring's side of txkit's {@link TransactionBridge}: the same resource binding Spring's own
 * {@code DataSourceTransactionManager}, {@code JdbcTemplate} and {@code DataSourceUtils} use (a
 * {@link ConnectionHolder} bound to the DataSource in {@link TransactionSynchronizationManager}).
 * <ul>
 *   <li>Inside a Spring-managed transaction on the DataSource, txkit finds Spring's holder and joins
 *       its connection ({@link SpringForeignTransaction}).</li>
 *   <li>When txkit begins a transaction it binds a holder for its own connection and opens Spring's
 *       synchronization, so {@code JdbcTemplate}, {@code @Transactional} participants, jOOQ and JDBI
 *       through Spring's transaction-aware DataSource join it ({@link SpringBinding}).</li>
 * </ul>
 * Stateless and thread-safe; {@code txkit-spring-boot-starter} installs one per {@code Database}.
 */
public final class SpringTransactionBridge implements TransactionBridge {
    /** A bridge to the transaction synchronization of the current thread; stateless. */
    public SpringTransactionBridge() {
    }


    @Override
    public ForeignTransaction current(DataSource dataSource) {
        Object resource = TransactionSynchronizationManager.getResource(dataSource);
        if (!(resource instanceof ConnectionHolder holder) || resource instanceof TxkitConnectionHolder
                || !holder.isSynchronizedWithTransaction()
                || !TransactionSynchronizationManager.isActualTransactionActive()) {
            return null; // no Spring transaction here (or only a connection Spring reuses outside one)
        }
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            throw TxkitException.of(ErrorCode.MISUSE, "a Spring-managed transaction is active on this DataSource,"
                    + " but its transaction synchronization is off (transactionSynchronization = NEVER), so txkit"
                    + " could not learn when it ends; leave synchronization on to use txkit inside it");
        }
        return new SpringForeignTransaction(this, holder);
    }

    @Override
    public Binding bind(DataSource dataSource, BoundTransaction transaction) {
        return SpringBinding.bind(dataSource, transaction);
    }

    /** Spring keeps isolation as a {@code java.sql.Connection} level; {@code null} is the default. */
    static Isolation isolation(Integer jdbcLevel) {
        if (jdbcLevel == null) {
            return null;
        }
        for (Isolation i : Isolation.values()) {
            if (i.jdbcLevel() == jdbcLevel) {
                return i;
            }
        }
        return null;
    }
}
