package dev.txkit.internal.pool;

import javax.sql.DataSource;
import java.lang.reflect.Method;
import java.sql.SQLException;

/**
 * Finds the pool behind a DataSource, so that every door to one pool gets one ambient scope. It
 * looks through, in order: HikariCP (a {@code HikariDataSource} itself, or any wrapper whose
 * {@link DataSource#unwrap} reaches one: Spring's {@code DelegatingDataSource} family, including
 * {@code TransactionAwareDataSourceProxy} and {@code LazyConnectionDataSourceProxy}, and JDBC
 * proxies that forward {@code unwrap}); then a public {@code getTargetDataSource()} (Spring's
 * delegating DataSources over a pool that is not HikariCP), a few levels deep. txkit's own
 * {@code db.dataSource()} is resolved by the caller, which knows its Database. Anything else is its
 * own identity. Stateless.
 */
public final class PoolIdentity {
    private static final int MAX_DEPTH = 8;

    private PoolIdentity() {
    }

    /** The object that stands for {@code ds}'s pool. */
    public static DataSource of(DataSource ds) {
        DataSource current = ds;
        for (int depth = 0; depth < MAX_DEPTH; depth++) {
            DataSource hikari = HikariSupport.AVAILABLE ? HikariSupport.unwrapHikari(current) : null;
            if (hikari != null) {
                return hikari;
            }
            DataSource target = target(current);
            if (target == null || target == current) {
                return current;
            }
            current = target;
        }
        return current;
    }

    private static DataSource target(DataSource ds) {
        try {
            Method m = ds.getClass().getMethod("getTargetDataSource");
            Object t = m.getReturnType() == DataSource.class || DataSource.class.isAssignableFrom(m.getReturnType())
                    ? m.invoke(ds) : null;
            return t instanceof DataSource ? (DataSource) t : null;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null; // not a delegating DataSource, or one that will not tell
        }
    }

    /** {@code unwrap} that answers null instead of throwing for a DataSource that wraps nothing. */
    static <T> T unwrapOrNull(DataSource ds, Class<T> type) {
        try {
            return ds.isWrapperFor(type) ? ds.unwrap(type) : null;
        } catch (SQLException | RuntimeException e) {
            return null;
        }
    }
}
