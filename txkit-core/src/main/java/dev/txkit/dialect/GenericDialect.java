package dev.txkit.dialect;

import dev.txkit.ErrorCode;
import dev.txkit.Isolation;
import dev.txkit.TxOptions;

import java.sql.Connection;
import java.sql.SQLException;

/** Any other JDBC database: isolation through JDBC (restored afterwards), errors by SQLSTATE only. */
public final class GenericDialect implements Dialect {
    private final String name;

    /**
     * A dialect for a product txkit has no dialect of its own for.
     *
     * @param name the product name, for messages
     */
    public GenericDialect(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean supports(Isolation isolation) {
        return true;
    }

    @Override
    public Runnable begin(Connection connection, TxOptions options) throws SQLException {
        return JdbcIsolation.apply(connection, options.isolation());
    }

    @Override
    public ErrorCode classify(SQLException failure, boolean atCommit) {
        return SqlStates.classify(failure, atCommit, (e, state, vendor, commit) -> null);
    }

    @Override
    public String quote(String identifier) {
        return '"' + identifier + '"';
    }
}
