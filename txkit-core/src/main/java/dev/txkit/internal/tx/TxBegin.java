package dev.txkit.internal.tx;

import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.dialect.Dialect;
import dev.txkit.internal.Engine;
import dev.txkit.internal.jdbc.Errors;
import dev.txkit.spi.TxAttempt;

import java.sql.Connection;
import java.sql.SQLException;

/** Starts a {@link PhysicalTx}: acquire, switch autocommit off, apply isolation and read-only. */
public final class TxBegin {
    private TxBegin() {
    }

    /** Acquires a connection and starts a transaction on it. */
    public static PhysicalTx start(Engine engine, TxOptions options, TxAttempt attempt) {
        Connection c = engine.acquire(options.maxWait());
        Dialect dialect;
        Runnable restore;
        try {
            dialect = engine.dialect(c);
            engine.checkSupported(dialect, options);
            c.setAutoCommit(false);
            restore = dialect.begin(c, options);
        } catch (SQLException e) {
            TxkitException x = Errors.translate(engine.dialectOrGeneric(), e, "BEGIN", false, engine.settings.showValues);
            closeAfterFailure(c, x);
            throw x;
        } catch (RuntimeException e) {
            closeAfterFailure(c, e);
            throw e;
        }
        PhysicalTx tx = new PhysicalTx(engine, options, attempt, c, restore);
        engine.register(tx);
        return tx;
    }

    private static void closeAfterFailure(Connection c, Throwable primary) {
        try {
            c.setAutoCommit(true);
        } catch (SQLException | RuntimeException e) {
            primary.addSuppressed(e);
        }
        try {
            c.close();
        } catch (SQLException | RuntimeException e) {
            primary.addSuppressed(e);
        }
    }

}
