package dev.txkit.it;

import com.zaxxer.hikari.HikariDataSource;
import dev.txkit.Database;
import dev.txkit.testing.DbKind;
import dev.txkit.testing.TestDatabase;
import dev.txkit.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Base of the integration tests: one isolated schema per database kind per test class, a txkit
 * {@link Database} over a pool of 10 for each, and after every test the checks that nothing
 * leaked: no open transaction, no connection borrowed, no scope bound on this thread.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class DbIT {
    private final Map<DbKind, TestDatabase> schemas = new EnumMap<>(DbKind.class);
    private final Map<DbKind, Database> databases = new EnumMap<>(DbKind.class);
    private final List<AutoCloseable> extra = new ArrayList<>();
    private final List<Database> watched = new ArrayList<>();
    private final List<AutoCloseable> perTest = new ArrayList<>();

    /**
     * Sessions of this test's database waiting for a row lock on {@code table} (PostgreSQL: waiting on a lock with a
     * statement naming it; MariaDB: running a locking read of it, which with the row held means waiting, since
     * {@code innodb_trx} does not list every waiter as such).
     */
    protected int lockWaiters(DbKind kind, String table) throws java.sql.SQLException {
        String sql = kind == DbKind.POSTGRES
                ? "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%" + table + "%'"
                : "SELECT count(*) FROM information_schema.processlist WHERE command = 'Query' AND id <> CONNECTION_ID()"
                        + " AND info LIKE '%" + table + "%FOR UPDATE'";
        try (java.sql.Connection c = schema(kind).unpooledDataSource().getConnection();
             java.sql.Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** A connection outside txkit holding the row {@code lockingRead} locks, in an open transaction; close it to end that. */
    protected java.sql.Connection holdRow(DbKind kind, String lockingRead) throws java.sql.SQLException {
        java.sql.Connection holder = schema(kind).unpooledDataSource().getConnection();
        holder.setAutoCommit(false);
        try (java.sql.Statement st = holder.createStatement()) {
            st.executeQuery(lockingRead).close();
        }
        return holder;
    }

    /**
     * While a row of {@code table} is held, waits (at most 30 s) until {@code total} transactions are each either
     * waiting for its lock in the database or queued for it in the process ({@code queued}); nothing can move
     * meanwhile. Returns how many wait in the database.
     */
    protected int awaitParked(DbKind kind, String table, int total, java.util.function.IntSupplier queued)
            throws java.sql.SQLException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        int waiting = lockWaiters(kind, table);
        while (waiting + queued.getAsInt() < total && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
            waiting = lockWaiters(kind, table);
        }
        return waiting;
    }

    protected TestDatabase schema(DbKind kind) {
        return schemas.computeIfAbsent(kind, k -> TestDatabases.create(k, getClass().getSimpleName()));
    }

    /**
     * The kinds among {@code kinds} whose database can be had here, for setup loops: without a
     * MariaDB server (outside CI) its tests skip themselves, and the others still run.
     */
    protected List<DbKind> available(DbKind... kinds) {
        List<DbKind> out = new ArrayList<>();
        for (DbKind kind : kinds) {
            try {
                schema(kind);
                out.add(kind);
            } catch (org.opentest4j.TestAbortedException unavailable) {
                // the parameterized tests for this kind abort on their own when they ask for it
            }
        }
        return out;
    }

    /** The shared txkit Database of this class for {@code kind}. */
    protected Database db(DbKind kind) {
        return databases.computeIfAbsent(kind, k -> watch(Database.create(schema(k).newPool(10))));
    }

    /** Registers a Database for the leak checks; closed (with its pool) after the class. */
    protected Database watch(Database db) {
        watched.add(db);
        extra.add(db);
        return db;
    }

    /** Closes {@code resource} after the class. */
    protected <T extends AutoCloseable> T closeLater(T resource) {
        extra.add(resource);
        return resource;
    }

    /**
     * Closes {@code resource} after the current test (a pool a test made for itself: the servers'
     * connection limits are shared by every test class running on this machine).
     */
    protected <T extends AutoCloseable> T closeAfterTest(T resource) {
        perTest.add(resource);
        return resource;
    }

    @AfterEach
    void nothingLeaked() throws Exception {
        for (Database db : watched) {
            assertThat(db.inScope()).as("scope left bound on the test thread").isFalse();
            assertThat(db.openTransactions()).as("open transactions").isZero();
            int active = db.activeConnections();
            if (active >= 0) {
                assertThat(active).as("connections still borrowed: " + db.poolState()).isZero();
            }
        }
        for (int i = perTest.size() - 1; i >= 0; i--) {
            perTest.remove(i).close();
        }
    }

    @AfterAll
    void dropAll() throws Exception {
        for (int i = extra.size() - 1; i >= 0; i--) {
            AutoCloseable c = extra.get(i);
            c.close();
            if (c instanceof Database && ((Database) c).dataSource().isWrapperFor(HikariDataSource.class)) {
                ((Database) c).dataSource().unwrap(HikariDataSource.class).close();
            }
        }
        for (TestDatabase t : schemas.values()) {
            t.close();
        }
    }
}
