package dev.txkit.dialect;

import dev.txkit.ErrorCode;
import dev.txkit.Isolation;
import dev.txkit.TxOptions;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/**
 * H2 (embedded). Isolation is a session setting here, so it is changed through JDBC and put back
 * afterwards. H2 treats read-only as a hint and does not refuse writes.
 */
public final class H2Dialect implements Dialect {
    /** A new instance; {@link Dialects#H2} is the shared one. */
    public H2Dialect() {
    }

    @Override
    public String name() {
        return "H2";
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
        return SqlStates.classify(failure, atCommit, (e, state, vendor, commit) -> {
            switch (vendor) {
                case 40001: // DEADLOCK_1
                    return ErrorCode.DEADLOCK;
                case 50200: // LOCK_TIMEOUT_1
                    return ErrorCode.LOCK_TIMEOUT;
                case 90131: // CONCURRENT_UPDATE_1
                    return ErrorCode.CONFLICT;
                case 57014: // STATEMENT_WAS_CANCELED (Statement.cancel, or the QUERY_TIMEOUT setting)
                    return SqlStates.cancelOrTimeout(e);
                case 90097: // DATABASE_IS_READ_ONLY
                    return ErrorCode.READ_ONLY_VIOLATION;
                default:
                    return null;
            }
        });
    }

    @Override
    public String quote(String identifier) {
        return '"' + identifier + '"';
    }

    /** H2 in its default mode stores unquoted names in upper case. */
    @Override
    public String quoteAsStored(String identifier) {
        return quote(identifier.toUpperCase(Locale.ROOT));
    }

    @Override
    public String upsert(String table, List<String> columns, String key, String version) {
        return Upserts.merge(table, columns, key, version);
    }

    @Override
    public boolean bindsUuidNatively() {
        return true;
    }

    @Override
    public List<String> idempotencyTableDdl(String table) {
        return List.of("CREATE TABLE IF NOT EXISTS " + table + " (idem_key VARCHAR(255) NOT NULL PRIMARY KEY, "
                        + "fingerprint CHAR(64) NOT NULL, result CHARACTER VARYING, created_at BIGINT NOT NULL, "
                        + "expires_at BIGINT NOT NULL)",
                "CREATE INDEX IF NOT EXISTS " + table + "_expires ON " + table + " (expires_at)");
    }
}
