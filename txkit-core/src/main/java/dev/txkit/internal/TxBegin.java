package dev.txkit.internal;

import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.dialect.Dialect;
import dev.txkit.spi.TxAttempt;

import java.sql.Connection;
import java.sql.SQLException;

/** Starts a {@link PhysicalTx}: acquire, switch autocommit off, apply isolation and read-only. */
final class TxBegin {
    private TxBegin() {
    }

    /** Acquires a connection and starts a transaction on it. */
    static PhysicalTx start(Engine engine, TxOptions options, TxAttempt attempt) {
        Connection c = engine.acquire(options.maxWait());
        try {
            Dialect dialect = engine.dialect(c);
            engine.checkSupported(dialect, options);
            engine.snapshotIsolation.prepare(c, dialect, options);
            c.setAutoCommit(false);
            Runnable restore = dialect.begin(c, options);
            // Inside the try: whatever fails from here on (issue 15: a deadline overflowing in the
            // constructor) must give the connection back instead of leaking it from the pool.
            PhysicalTx tx = new PhysicalTx(engine, options, attempt, c, restore);
            engine.register(tx);
            return tx;
        } catch (SQLException e) {
            TxkitException x = Errors.translate(engine.dialectOrGeneric(), e, "BEGIN", false, engine.settings.showValues);
            closeAfterFailure(c, x);
            throw x;
        } catch (RuntimeException | Error e) {
            closeAfterFailure(c, e);
            throw e;
        }
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
