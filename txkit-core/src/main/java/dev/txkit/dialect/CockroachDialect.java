package dev.txkit.dialect;

import dev.txkit.ErrorCode;
import dev.txkit.Isolation;

import java.sql.SQLException;

/**
 * CockroachDB (PostgreSQL protocol). Only SERIALIZABLE is offered, as in Prisma's support table;
 * 40003 ("statement completion unknown") means the outcome of the transaction is unknown.
 */
public final class CockroachDialect extends PostgresDialect {
    /** A new instance; {@link Dialects#COCKROACH} is the shared one. */
    public CockroachDialect() {
    }

    @Override
    public String name() {
        return "CockroachDB";
    }

    @Override
    public boolean supports(Isolation isolation) {
        return isolation == Isolation.SERIALIZABLE;
    }

    @Override
    public ErrorCode classify(SQLException failure, boolean atCommit) {
        return SqlStates.classify(failure, atCommit, (e, state, vendor, commit) ->
                "40003".equals(state) ? ErrorCode.COMMIT_UNKNOWN : PostgresDialect.lookup(e, state, vendor, commit));
    }

    /** CockroachDB has no {@code pg_blocking_pids}: the self-deadlock detector stays off. */
    @Override
    public String blockingSessionsQuery(String sessionIds) {
        return null;
    }
}
