package dev.txkit.internal.tx;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;
import dev.txkit.dialect.Dialect;
import dev.txkit.internal.jdbc.Errors;
import dev.txkit.internal.jdbc.InFlight;
import dev.txkit.internal.jdbc.StatementExecutor;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Runs one statement in autocommit on a pooled connection of its own (waiting at most the default
 * maxWait), registered as in flight so the watchdog and the self-deadlock detector see it. Never
 * joins the ambient transaction. Thread-safe.
 */
final class Autocommit implements StatementExecutor {
    private final TxRuntime rt;

    Autocommit(TxRuntime rt) {
        this.rt = rt;
    }

    @Override
    public <T> T execute(String sql, Work<T> work) {
        Connection c = rt.acquire(rt.settings().defaults.maxWait());
        InFlight flight = new InFlight(sql, c, null);
        rt.registry().enter(flight);
        boolean showValues = rt.settings().showValues;
        try {
            Dialect d = rt.dialects().of(c);
            // A pool configured autoCommit=false (a common Hikari tuning) would leave the write
            // uncommitted and lose it on return: run the statement as a one-statement transaction
            // there. getAutoCommit() is answered locally by the PostgreSQL and MariaDB drivers.
            boolean commitHere = !c.getAutoCommit();
            T result;
            try {
                result = work.run(c, flight);
            } catch (SQLException e) {
                if (commitHere) {
                    rollbackQuietly(c, e);
                }
                if (flight.cancelCode != null) {
                    throw TxkitException.of(flight.cancelCode, flight.cancelMessage, e);
                }
                throw Errors.translate(d, c, e, sql, false, showValues);
            } catch (RuntimeException | Error e) {
                if (commitHere) {
                    rollbackQuietly(c, e);
                }
                throw e;
            }
            if (commitHere) {
                commitOneStatement(c, d);
            }
            return result;
        } catch (SQLException e) {
            throw Errors.translate(rt.dialects().orGeneric(), e, sql, false, showValues);
        } finally {
            rt.registry().exit(flight);
            try {
                c.close();
            } catch (SQLException e) {
                rt.listeners().report("closing an autocommit connection", e);
            }
        }
    }

    private void commitOneStatement(Connection c, Dialect d) {
        try {
            c.commit();
        } catch (SQLException e) {
            TxkitException x = Errors.translate(d, e, "COMMIT", true, rt.settings().showValues);
            if (x.code() != ErrorCode.COMMIT_UNKNOWN) {
                rollbackQuietly(c, x);
            }
            throw x;
        }
    }

    private static void rollbackQuietly(Connection c, Throwable primary) {
        try {
            c.rollback();
        } catch (SQLException | RuntimeException e) {
            primary.addSuppressed(e);
        }
    }

    @Override
    public Dialect dialect() {
        return rt.dialects().orGeneric();
    }

    @Override
    public dev.txkit.internal.jdbc.SqlChecks sqlChecks() {
        return rt.sqlChecks;
    }
}
