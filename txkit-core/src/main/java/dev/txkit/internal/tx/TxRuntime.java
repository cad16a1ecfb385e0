package dev.txkit.internal.tx;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;

import dev.txkit.dialect.Dialect;
import dev.txkit.internal.context.Listeners;
import dev.txkit.internal.context.Settings;
import dev.txkit.internal.jdbc.StatementExecutor;
import dev.txkit.internal.pool.ConnectionSource;
import dev.txkit.internal.pool.DialectCache;
import dev.txkit.internal.pool.PoolGuard;
import dev.txkit.internal.pool.Registry;
import dev.txkit.internal.pool.ScopeProbe;
import dev.txkit.spi.ContextStorage;

import javax.sql.DataSource;
import java.sql.Connection;
import java.time.Duration;

/**
 * The runtime of one Database as the transaction layer and the layers above it see it: settings,
 * listeners, the ambient slot, the registry, the dialect, connections, the router of {@code db.sql}
 * and the table factory. Handed downwards instead of the engine, so nothing below the engine refers
 * back to it. Thread-safe (immutable; its parts are thread-safe).
 */
public final class TxRuntime {
    private final Settings settings;
    private final Listeners listeners;
    private final ContextStorage.Slot<PhysicalTx> slot;
    private final Registry registry;
    private final DataSource dataSource;
    private final ConnectionSource source;
    private final PoolGuard pool;
    private final DialectCache dialects;
    private final Autocommit autocommit;
    private final StatementExecutor router;
    private final TableFactory tables;
    private final BorrowedScope borrowedScope = new BorrowedScope(this);
    private volatile Boolean poolAutoCommit;
    private volatile boolean closed;
    /** Sets innodb_snapshot_isolation on MariaDB connections, once per physical connection. */
    public final SnapshotIsolation snapshotIsolation = new SnapshotIsolation();
    /** What the checks before sending found for the SQL texts this Database runs. */
    public final dev.txkit.internal.jdbc.SqlChecks sqlChecks = new dev.txkit.internal.jdbc.SqlChecks();

    /**
     * {@code slot} and {@code registry} are the pool's (shared by every Database over it), so that a
     * second Database inside a scope joins its transaction and the detector sees everything.
     */
    public TxRuntime(Settings settings, DataSource dataSource, ConnectionSource source, Dialect known,
                     TableFactory tables, ContextStorage.Slot<PhysicalTx> slot, Registry registry) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.listeners = new Listeners(settings.listeners);
        this.slot = slot;
        this.registry = registry;
        this.source = source;
        this.pool = new PoolGuard(source, registry);
        this.dialects = new DialectCache(known, pool, settings.defaults.maxWait(), settings.showValues);
        this.autocommit = new Autocommit(this);
        this.router = new Router(this);
        this.tables = tables;
    }

    public Settings settings() {
        return settings;
    }

    public Listeners listeners() {
        return listeners;
    }

    /** The slot holding the scope's transaction. */
    public ContextStorage.Slot<PhysicalTx> slot() {
        return slot;
    }

    /**
     * The transaction of the current scope, or {@code null}: txkit's own, or (with a
     * {@link dev.txkit.spi.TransactionBridge}) the other manager's transaction on this pool, joined.
     */
    public PhysicalTx current() {
        PhysicalTx own = slot.get();
        dev.txkit.spi.TransactionBridge bridge = settings.bridge;
        return bridge == null ? own : Bridging.ambient(this, bridge, own);
    }

    /** The pool as given. */
    public DataSource dataSource() {
        return dataSource;
    }

    /** Marks the Database closed: from now on every use fails with CLOSED (issue 15). */
    public void markClosed() {
        closed = true;
    }

    /** Whether the Database has been closed. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * After close (issue 15: a closed Database used to keep running work with no deadline enforced):
     * cancels running statements and rolls back idle open transactions with CLOSED. The watchdog
     * repeats it every tick (a statement may be just starting); true once nothing is left open.
     */
    public boolean endAfterClose(boolean lastOnPool) {
        boolean mineLeft = false;
        for (dev.txkit.internal.jdbc.TxView tx : registry.open()) {
            // the registry is the pool's: other Databases over it keep their transactions
            if (tx instanceof PhysicalTx && ((PhysicalTx) tx).rt == this) {
                mineLeft = true;
                ((PhysicalTx) tx).stop(ErrorCode.CLOSED, "the Database was closed while transaction " + tx.id()
                        + " was open; it was rolled back");
            }
        }
        if (!lastOnPool) {
            return !mineLeft;
        }
        for (dev.txkit.internal.jdbc.InFlight f : registry.autoFlights()) {
            f.cancel(ErrorCode.CLOSED, "the Database was closed while the statement ran");
        }
        return registry.idle();
    }

    /** Throws CLOSED once the Database has been closed. */
    public void requireOpen(String what) {
        if (closed) {
            throw TxkitException.of(ErrorCode.CLOSED, "this Database has been closed; cannot run " + what
                    + ". Create a new Database (and do not close a shared one while it is in use)");
        }
    }

    /** A pooled connection (see {@link PoolGuard}); listeners hear how long it took. */
    public Connection acquire(Duration maxWait) {
        requireOpen("anything that needs a connection");
        if (listeners.isEmpty()) {
            return pool.acquire(maxWait);
        }
        long start = System.nanoTime();
        Connection c = pool.acquire(maxWait);
        Duration waited = Duration.ofNanos(System.nanoTime() - start);
        listeners.emit(l -> l.connectionAcquired(waited));
        return c;
    }

    public Registry registry() {
        return registry;
    }

    public ConnectionSource source() {
        return source;
    }

    /** Where connections come from: the pool, behind the exhaustion guard. */
    public PoolGuard pool() {
        return pool;
    }

    public DialectCache dialects() {
        return dialects;
    }

    /** Statements in autocommit on their own connection, never in the ambient transaction. */
    public StatementExecutor autocommit() {
        return autocommit;
    }

    /** {@code db.sql(...)}: the scope's transaction if there is one, else autocommit. */
    public StatementExecutor router() {
        return router;
    }

    /** The scope as connections borrowed from {@code db.dataSource()} outside a transaction see it. */
    public ScopeProbe borrowedScope() {
        return borrowedScope;
    }

    public TableFactory tables() {
        return tables;
    }

    /**
     * Whether the pool hands out connections in autocommit mode: HikariCP's configuration says so
     * without a JDBC call; for another pool the first connection txkit begins a transaction on is
     * asked once. A transaction puts its connection back into this mode when it ends.
     */
    boolean poolAutoCommit(java.sql.Connection c) throws java.sql.SQLException {
        Boolean known = poolAutoCommit;
        if (known == null) {
            known = source.autoCommitDefault();
            if (known == null) {
                known = c.getAutoCommit();
            }
            poolAutoCommit = known;
        }
        return known;
    }

    void unbind(PhysicalTx tx, PhysicalTx previous) {
        if (slot.get() == tx) {
            slot.set(previous);
        }
    }
}
