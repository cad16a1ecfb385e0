package dev.txkit.internal.tx;

import dev.txkit.ErrorCode;
import dev.txkit.Isolation;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.dialect.Dialect;
import dev.txkit.internal.jdbc.Errors;
import dev.txkit.spi.TxAttempt;

import java.sql.Connection;
import java.sql.SQLException;

/** Starts a {@link PhysicalTx}: acquire, switch autocommit off, apply isolation and read-only. */
public final class TxBegin {
    private TxBegin() {
    }

    /** Acquires a connection and starts a transaction on it. */
    public static PhysicalTx start(TxRuntime rt, TxOptions options, TxAttempt attempt) {
        return start(rt, options, attempt, null);
    }

    /**
     * The same; {@code atCommit}, when not null, runs just before COMMIT is sent at SERIALIZABLE on
     * databases whose row locks end before the commit is durable (admission lets the next attempt of a
     * hot key in: its reads lock, so they wait for this commit instead of reading past it).
     */
    public static PhysicalTx start(TxRuntime rt, TxOptions options, TxAttempt attempt, Runnable atCommit) {
        Connection c = rt.acquire(options.maxWait());
        boolean autoCommit = true;
        PhysicalTx tx;
        try {
            Dialect dialect = rt.dialects().of(c);
            checkSupported(dialect, options);
            autoCommit = rt.poolAutoCommit(c);
            rt.snapshotIsolation.prepare(c, dialect, options);
            c.setAutoCommit(false);
            Runnable restore = dialect.begin(c, options);
            // Inside the try: whatever fails from here on (issue 15: a deadline overflowing in the
            // constructor) must give the connection back instead of leaking it from the pool.
            tx = new PhysicalTx(rt, options, attempt, c, restore, autoCommit);
            if (atCommit != null && options.isolation() == Isolation.SERIALIZABLE
                    && dialect.releasesLocksBeforeDurableCommit()) {
                tx.outcome.commitSending = atCommit;
            }
            rt.registry().register(tx);
        } catch (SQLException e) {
            TxkitException x = Errors.translate(rt.dialects().orGeneric(), e, "BEGIN", false,
                    rt.settings().showValues);
            closeAfterFailure(c, x, autoCommit);
            throw x;
        } catch (RuntimeException | Error e) {
            closeAfterFailure(c, e, autoCommit);
            throw e;
        }
        try { // from here the transaction owns the connection: a failure rolls it back and gives it back
            Bridging.bind(rt, tx);
        } catch (RuntimeException e) {
            tx.rollbackAfter(e);
            throw e;
        }
        return tx;
    }

    /** UNSUPPORTED, listing what the database does support, before anything is sent. */
    static void checkSupported(Dialect d, TxOptions options) {
        if (options.isolation() != null && !d.supports(options.isolation())) {
            StringBuilder supported = new StringBuilder();
            for (Isolation i : Isolation.values()) {
                if (d.supports(i)) {
                    supported.append(supported.length() == 0 ? "" : ", ").append(i);
                }
            }
            throw TxkitException.of(ErrorCode.UNSUPPORTED, d.name() + " does not support isolation "
                    + options.isolation() + "; it supports: " + supported);
        }
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
