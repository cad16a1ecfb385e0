package dev.txkit.internal.jdbc;

import dev.txkit.dialect.Dialect;

import java.sql.Connection;
import java.sql.SQLException;

/** Something statements run on: a transaction, an autocommit connection, or the ambient router. */
public interface StatementExecutor {

    /** Work done with a connection; it registers its statement with {@code flight} for cancellation. */
    interface Work<T> {
        T run(Connection connection, InFlight flight) throws SQLException;
    }

    <T> T execute(String sql, Work<T> work);

    /** The text to send for the read {@code sql}: the same, unless the executor makes its reads lock. */
    default String forRead(String sql) {
        return sql;
    }

    /**
     * Called before a statement whose arguments txkit binds ({@code values}: {@code Object[]} or {@code List}),
     * before {@link #execute}: a transaction's first one may name the row its attempt contends on to admission
     * control, which may end the attempt there (see {@code Admission.firstStatement}). Default: nothing.
     */
    default void atStatement(String sql, Object values) {
    }

    Dialect dialect();

    /** The checks of SQL texts before they are sent, remembered per Database (see {@link SqlChecks}). */
    SqlChecks sqlChecks();
}
