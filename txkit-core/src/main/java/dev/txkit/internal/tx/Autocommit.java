package dev.txkit.internal.tx;

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
        Connection c = rt.pool().acquire(rt.settings().defaults.maxWait());
        InFlight flight = new InFlight(sql, c, null);
        rt.registry().enter(flight);
        boolean showValues = rt.settings().showValues;
        try {
            Dialect d = rt.dialects().of(c);
            try {
                return work.run(c, flight);
            } catch (SQLException e) {
                if (flight.cancelCode != null) {
                    throw new TxkitException(flight.cancelCode, flight.cancelMessage, e);
                }
                throw Errors.translate(d, e, sql, false, showValues);
            }
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

    @Override
    public Dialect dialect() {
        return rt.dialects().orGeneric();
    }
}
