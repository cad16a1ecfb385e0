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

/**
 * Starts a {@link PhysicalTx}: acquire, switch autocommit off, apply isolation and read-only (in one statement
 * where the dialect can: {@link Dialect#beginFromAutocommit}).
 */
public final class TxBegin {
    private TxBegin() {
    }

    /** Acquires a connection and starts a transaction on it. */
    public static PhysicalTx start(TxRuntime rt, TxOptions options, TxAttempt attempt) {
        return start(rt, options, attempt, null, false);
    }

    /**
     * The same for an attempt behind admission ({@code admission} null: none). The next attempt of the key
     * may start before this one ends where that cannot make them collide:
     * <ul>
     *   <li>just before COMMIT is sent at SERIALIZABLE, on databases whose row locks end before the commit
     *       is durable: the next one's reads lock, so they wait for this commit instead of reading past it;</li>
     *   <li>on a key admitted one at a time where the isolation's reads wait for uncommitted writes
     *       ({@link Dialect#readsWaitForWrites}), as soon as this one's first write has returned: the next
     *       one's first read then queues in the server behind that write and runs the moment this commit
     *       ends the lock, instead of starting only then. Where SERIALIZABLE is such an isolation (MariaDB), such an attempt at the
     *       database default or REPEATABLE READ runs at SERIALIZABLE: stronger, never weaker, and its reads
     *       wait for the previous commit instead of reading a snapshot that commit makes stale (a certain
     *       CONFLICT at its write). Read-only transactions are left as asked.</li>
     * </ul>
     * Where SERIALIZABLE's reads wait for writes (MariaDB), an attempt of a key that collides, or collided and
     * whose attempts kept overlapping since ({@link Admission#hot}), also sends its plain SELECTs as
     * {@code SELECT … FOR UPDATE} ({@code TxStatements.forRead}): exclusive instead of shared locks, so it is
     * still serializable (two-phase locking), and two attempts that read a row and then write it queue at the
     * read instead of both holding a share lock and deadlocking at the write. Same for REPEATABLE READ or the
     * default, raised to SERIALIZABLE for those attempts as above. Read-only transactions are left as asked,
     * and so are attempts whose {@code readsMayLock} is false (db.optimistic: its escalation decides).
     */
    public static PhysicalTx start(TxRuntime rt, TxOptions options, TxAttempt attempt, Admission admission,
                                   boolean readsMayLock) {
        Connection c = rt.acquire(options.maxWait());
        boolean autoCommit = true;
        Runnable restore = null;
        PhysicalTx tx;
        try {
            Dialect dialect = rt.dialects().of(c);
            checkSupported(dialect, options);
            autoCommit = rt.poolAutoCommit(c);
            boolean single = admission != null && admission.single() && !options.readOnly(); // single: also hot
            // asked only where it can matter: hot() refreshes a shared timestamp on every call
            boolean lockReads = readsMayLock && admission != null && !options.readOnly()
                    && dialect.readsWaitForWrites(Isolation.SERIALIZABLE) && admission.hot();
            TxOptions begin = (single || lockReads) && queuesBetter(dialect, options)
                    ? options.withIsolation(Isolation.SERIALIZABLE) : options;
            rt.snapshotIsolation.prepare(c, dialect, begin);
            boolean readsLocked = lockReads && dialect.readsWaitForWrites(begin.isolation());
            if (readsLocked) {
                admission.readsLock();
            }
            // an attempt that names its row at its first statement may end there, before anything is sent
            boolean probes = admission != null && admission.probesRows();
            boolean deferStart = probes && autoCommit && dialect.defersStart(c);
            boolean deferBegin = probes && (deferStart || dialect.defersBegin());
            restore = autoCommit && !deferStart ? dialect.beginFromAutocommit(c, begin) : null;
            if (restore == null && !deferStart) {
                c.setAutoCommit(false);
                restore = deferBegin ? null : dialect.begin(c, begin);
            }
            // Inside the try: whatever fails from here on (issue 15: a deadline overflowing in the
            // constructor) must give the connection back instead of leaking it from the pool.
            tx = new PhysicalTx(rt, options, attempt, c, restore, autoCommit);
            if (admission != null) {
                Isolation isolation = begin.isolation();
                if (isolation == Isolation.SERIALIZABLE && dialect.releasesLocksBeforeDurableCommit()) {
                    tx.outcome.commitSending = admission::leave;
                }
                tx.statements.lockReads = readsLocked;
                if (probes) {
                    tx.statements.rowProbe = admission;
                    if (deferBegin && restore == null) {
                        tx.statements.beginLater(new DeferredBegin(dialect, begin, deferStart));
                    }
                }
                if (single && dialect.readsWaitForWrites(isolation)) {
                    admission.leavingAtWrite();
                    tx.statements.leaveAtWrite = admission;
                }
            }
            rt.registry().register(tx);
        } catch (SQLException e) {
            TxkitException x = Errors.translate(rt.dialects().orGeneric(), e, "BEGIN", false,
                    rt.settings().showValues);
            closeAfterFailure(c, x, autoCommit, restore);
            throw x;
        } catch (RuntimeException | Error e) {
            closeAfterFailure(c, e, autoCommit, restore);
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

    /** Whether a relayed attempt runs at SERIALIZABLE instead: see {@link #start(TxRuntime, TxOptions, TxAttempt, Admission)}. */
    private static boolean queuesBetter(Dialect dialect, TxOptions options) {
        Isolation asked = options.isolation();
        return (asked == null || asked == Isolation.REPEATABLE_READ)
                && !dialect.readsWaitForWrites(asked) && dialect.readsWaitForWrites(Isolation.SERIALIZABLE);
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

    private static void closeAfterFailure(Connection c, Throwable primary, boolean autoCommit, Runnable restore) {
        if (restore != null) { // what the dialect changed, put back before the connection goes back
            try {
                c.rollback();
                restore.run();
            } catch (SQLException | RuntimeException e) {
                primary.addSuppressed(e);
            }
        }
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
