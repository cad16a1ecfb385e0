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
        boolean autoCommit = true;
        try {
            dialect = engine.dialect(c);
            engine.checkSupported(dialect, options);
            autoCommit = engine.poolAutoCommit(c);
            c.setAutoCommit(false);
            restore = dialect.begin(c, options);
        } catch (SQLException e) {
            TxkitException x = Errors.translate(engine.dialectOrGeneric(), e, "BEGIN", false, engine.settings.showValues);
            closeAfterFailure(c, x, autoCommit);
            throw x;
        } catch (RuntimeException e) {
            closeAfterFailure(c, e, autoCommit);
            throw e;
        }
        PhysicalTx tx = new PhysicalTx(engine, options, attempt, c, release(c, restore, autoCommit));
        engine.register(tx);
        return tx;
    }

    /**
     * How the transaction gives its connection back: options restored, then the autocommit mode
     * the pool hands connections out in. For a pool whose connections are not in autocommit mode
     * the mode is left as it was; as switching it no longer ends anything there, a rollback makes
     * sure that restoring the options (H2 resets isolation with a statement) leaves no transaction
     * open behind it (the drivers skip it when nothing is open).
     */
    private static Runnable release(Connection c, Runnable restore, boolean autoCommit) {
        return () -> {
            if (restore != null) {
                restore.run();
            }
            try {
                if (autoCommit) {
                    c.setAutoCommit(true);
                } else {
                    c.rollback();
                }
            } catch (SQLException e) {
                throw new IllegalStateException("restoring the connection's autocommit mode failed", e);
            }
        };
    }

    private static void closeAfterFailure(Connection c, Throwable primary, boolean autoCommit) {
        try {
            if (autoCommit) {
                c.setAutoCommit(true);
            } else {
                c.rollback();
            }
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
