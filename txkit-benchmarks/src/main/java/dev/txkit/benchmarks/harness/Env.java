package dev.txkit.benchmarks.harness;

import dev.txkit.Database;
import dev.txkit.spi.TxAttempt;
import dev.txkit.spi.TxListener;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.SerializableTransactionRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/**
 * One database under test and every client library set up on its pool: txkit's {@link Database},
 * Spring's {@code TransactionTemplate} (SERIALIZABLE) with a {@code JdbcTransactionManager}, JDBI
 * with a {@code SerializableTransactionRunner} (10 retries). All share the one pool, so each
 * strategy gets the same connections. Attempts and aborts inside txkit and JDBI are reported to
 * the {@link Tally} of the calling thread (see {@link #bind}).
 *
 * <p>Thread-safe once built; {@link #bind} is per thread.
 */
public final class Env implements AutoCloseable {
    private static final ThreadLocal<Tally> CURRENT = new ThreadLocal<>();

    public final DataSource pool;
    public final DbKind kind;
    public final Database db;
    public final TransactionTemplate spring;
    public final JdbcTemplate jdbcTemplate;
    public final Jdbi jdbi;
    /** The most clients a cell may use; the pool must hold at least this many plus the auditor's. */
    public final int maxClients;

    public Env(DataSource pool, int maxClients) throws SQLException {
        this(pool, pool, maxClients);
    }

    /**
     * With a pool of txkit's own: on MariaDB txkit turns {@code innodb_snapshot_isolation} on for each
     * connection it uses (once, for the session), which would leak into the other strategies' transactions
     * on a shared pool (their read-modify-writes would then fail with 1020 instead of showing what they
     * do on a default server).
     */
    public Env(DataSource pool, DataSource txkitPool, int maxClients) throws SQLException {
        this.pool = pool;
        this.maxClients = maxClients;
        try (Connection c = pool.getConnection()) {
            this.kind = DbKind.of(c);
        }
        this.db = Database.builder(txkitPool).listener(new Listener()).build();
        this.spring = new TransactionTemplate(new JdbcTransactionManager(pool));
        spring.setIsolationLevel(TransactionDefinition.ISOLATION_SERIALIZABLE);
        this.jdbcTemplate = new JdbcTemplate(pool);
        this.jdbi = Jdbi.create(pool);
        jdbi.setTransactionHandler(new SerializableTransactionRunner());
        jdbi.getConfig(SerializableTransactionRunner.Configuration.class)
                .setMaxRetries(10)
                .setOnFailure(failures -> tally().abort(Codes.of(failures.get(failures.size() - 1))));
    }

    /** Makes {@code tally} the one this thread's txkit and JDBI events go to. */
    public static void bind(Tally tally) {
        if (tally == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(tally);
        }
    }

    /** The calling thread's tally (a throw-away one outside a cell, e.g. during setup). */
    public static Tally tally() {
        Tally t = CURRENT.get();
        return t != null ? t : new Tally();
    }

    /** Runs each statement in auto-commit mode, in order. */
    public void execute(String... sql) throws SQLException {
        execute(List.of(sql));
    }

    /** Runs each statement in auto-commit mode, in order. */
    public void execute(List<String> sql) throws SQLException {
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    /**
     * Whether {@code table} exists and holds exactly {@code rows} rows (then a workload of the same kind
     * made it earlier in this run and it can be reused).
     */
    public boolean hasRows(String table, long rows) {
        try (Connection c = pool.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            return rs.next() && rs.getLong(1) == rows;
        } catch (SQLException missing) {
            return false;
        }
    }

    /** Runs {@code insert} (one parameter: the id) for ids 1..count, in batches, in one transaction. */
    public void insertIds(String insert, int count) throws SQLException {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(insert)) {
            c.setAutoCommit(false);
            for (int id = 1; id <= count; id++) {
                ps.setLong(1, id);
                ps.addBatch();
                if (id % 2000 == 0 || id == count) {
                    ps.executeBatch();
                }
            }
            c.commit();
            c.setAutoCommit(true);
        }
    }

    /**
     * Between cells: reclaim dead rows and flush dirty pages, so one cell's garbage does not slow the
     * next (a 2x run-order effect was seen without it). PostgreSQL: VACUUM ANALYZE + CHECKPOINT
     * (needs a superuser or pg_checkpoint; skipped with a note otherwise); MariaDB: OPTIMIZE TABLE
     * (rebuild + analyze for InnoDB) + FLUSH TABLES.
     */
    public void maintain(List<String> tables) throws SQLException {
        switch (kind) {
            case POSTGRES -> {
                for (String t : tables) {
                    execute("VACUUM ANALYZE " + t);
                }
                try {
                    execute("CHECKPOINT");
                } catch (SQLException e) {
                    // Not a superuser: VACUUM already did the part that matters most for the next cell.
                }
            }
            case MARIADB -> {
                try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
                    // OPTIMIZE returns a result set of notes; read nothing, just run it.
                    st.execute("OPTIMIZE TABLE " + String.join(", ", tables));
                    st.execute("FLUSH TABLES " + String.join(", ", tables));
                }
            }
            case H2 -> {
                // in memory: nothing to reclaim
            }
        }
    }

    @Override
    public void close() {
        db.close();
    }

    /** Counts txkit's attempts and aborts for the thread they happen on. */
    private static final class Listener implements TxListener {
        @Override
        public void attemptStarted(TxAttempt attempt) {
            tally().attempt();
        }

        @Override
        public void attemptFailed(TxAttempt attempt, dev.txkit.ErrorCode code, Throwable failure, Duration duration) {
            tally().abort(Codes.of(failure));
        }
    }
}
