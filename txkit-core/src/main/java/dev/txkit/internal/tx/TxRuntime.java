package dev.txkit.internal.tx;

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
    private final Registry registry = new Registry();
    private final ConnectionSource source;
    private final PoolGuard pool;
    private final DialectCache dialects;
    private final Autocommit autocommit;
    private final StatementExecutor router;
    private final TableFactory tables;
    private final BorrowedScope borrowedScope = new BorrowedScope(this);
    private volatile Boolean poolAutoCommit;

    public TxRuntime(Settings settings, ConnectionSource source, Dialect known, TableFactory tables) {
        this.settings = settings;
        this.listeners = new Listeners(settings.listeners);
        this.slot = settings.storage.newSlot("txkit@" + Integer.toHexString(System.identityHashCode(this)));
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

    /** The scope's transaction, or {@code null}. */
    public PhysicalTx current() {
        return slot.get();
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
