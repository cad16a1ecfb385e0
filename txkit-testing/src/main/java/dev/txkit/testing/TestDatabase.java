package dev.txkit.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * One isolated, throw-away database for one test class: a PostgreSQL schema, a MariaDB
 * database, an H2 in-memory database or a SQLite file. Create it with
 * {@link TestDatabases#create(DbKind, String)}; {@link #close()} drops it.
 *
 * <p>Thread-safe: the accessors return immutable values, {@link #newPool(int)} and
 * {@link #execute(String...)} may be called from any thread, and {@link #close()} runs once.
 */
public final class TestDatabase implements AutoCloseable {

    /** How the owning engine removes this database; runs once, from {@link #close()}. */
    @FunctionalInterface
    interface Dropper {
        void drop(TestDatabase db) throws Exception;
    }

    private final DbKind kind;
    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final String name;
    private final Dropper dropper;
    private final DataSource unpooled;
    // Pools a test forgot to close would keep connections (and, on PostgreSQL, locks) that make
    // the drop hang or fail, so close() closes them first.
    private final List<HikariDataSource> pools = new CopyOnWriteArrayList<>();
    private final AtomicInteger poolCounter = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();

    TestDatabase(DbKind kind, String jdbcUrl, String user, String password, String name,
                 Dropper dropper) {
        this.kind = kind;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.name = name;
        this.dropper = dropper;
        this.unpooled = new UnpooledDataSource(jdbcUrl, user, password);
    }

    /** {@return the engine this database lives on} */
    public DbKind kind() {
        return kind;
    }

    /** {@return a JDBC URL that connects straight into this database/schema (unqualified names land here)} */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** {@return the user name for {@link #jdbcUrl()}} */
    public String user() {
        return user;
    }

    /** {@return the password for {@link #jdbcUrl()} (often empty: local services use trust auth)} */
    public String password() {
        return password;
    }

    /** {@return the schema (PostgreSQL), database (MariaDB, H2) or file stem (SQLite) name; unique per JVM run} */
    public String name() {
        return name;
    }

    /**
     * A DataSource that opens a fresh {@link java.sql.DriverManager} connection on every call and
     * never pools: for setup/admin work and as the "raw JDBC" baseline.
     *
     * @return the DataSource; the same object on every call
     */
    public DataSource unpooledDataSource() {
        return unpooled;
    }

    /**
     * A new HikariCP pool on this database with Hikari's defaults except the pool size and name.
     * The caller closes it; any pool still open when this database is closed is closed then.
     *
     * @param maxSize the pool's maximum size
     * @return the pool
     * @throws IllegalStateException when this database is already closed
     */
    public HikariDataSource newPool(int maxSize) {
        ensureOpen();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(maxSize);
        config.setPoolName(name + "-pool-" + poolCounter.incrementAndGet());
        HikariDataSource pool = new HikariDataSource(config);
        pools.add(pool);
        return pool;
    }

    /**
     * Runs each statement in order on one fresh autocommit connection, e.g. setup DDL.
     *
     * @param sql the statements, run in order; the first failure stops the rest
     * @throws IllegalStateException wrapping the {@link SQLException} of the first failing statement
     */
    public void execute(String... sql) {
        ensureOpen();
        try (Connection c = unpooled.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(true);
            for (String s : sql) {
                try {
                    st.execute(s);
                } catch (SQLException e) {
                    throw new IllegalStateException("[" + name + "] setup SQL failed: " + s, e);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("[" + name + "] cannot connect to " + jdbcUrl, e);
        }
    }

    /** Closes any pools still open, then drops the schema/database/file. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (HikariDataSource pool : pools) {
            pool.close();
        }
        pools.clear();
        try {
            dropper.drop(this);
        } catch (Exception e) {
            throw new IllegalStateException("[" + name + "] could not drop test database", e);
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("[" + name + "] test database is closed");
        }
    }

    @Override
    public String toString() {
        return "TestDatabase[" + kind + " " + name + " " + jdbcUrl + "]";
    }
}
