package dev.txkit.benchmarks.overhead;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.txkit.Database;
import dev.txkit.TxOptions;
import dev.txkit.retry.RetryPolicy;
import org.jdbi.v3.core.Jdbi;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

/**
 * What one short write transaction ({@code UPDATE … SET v = v + 1 WHERE id = ?}, then COMMIT) costs
 * through each library, on three backends: {@code stub} (a JDBC driver whose calls do nothing: the
 * library's own CPU), {@code h2} (in memory) and {@code postgres} (loopback; URL from
 * {@code -Dtxkit.bench.postgres}, default {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}).
 * H2 and PostgreSQL go through a HikariCP pool of 2, as an application would. Contenders: raw JDBC,
 * txkit (defaults, {@code RetryPolicy.none()}, ambient {@code db.sql} inside the transaction), Spring
 * {@code TransactionTemplate} + {@code DataSourceTransactionManager} + {@code JdbcTemplate}, JDBI
 * {@code inTransaction}, jOOQ {@code transactionResult}. Run with {@code -prof gc} for bytes per
 * transaction ({@code gc.alloc.rate.norm}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OverheadBenchmark {
    static final String UPDATE = "UPDATE jmh_overhead SET v = v + 1 WHERE id = ?";
    private static final TxOptions NO_RETRY = TxOptions.defaults().withRetry(RetryPolicy.none());

    @Param({"stub", "h2", "postgres"})
    public String backend;

    private DataSource ds;
    private HikariDataSource pool;
    private Database db;
    private TransactionTemplate spring;
    private JdbcTemplate jdbcTemplate;
    private Jdbi jdbi;
    private DSLContext jooq;

    @Setup(Level.Trial)
    public void setUp() throws SQLException {
        SQLDialect dialect = SQLDialect.DEFAULT;
        switch (backend) {
            case "stub" -> ds = StubJdbc.dataSource();
            case "h2" -> {
                ds = pool = pool("jdbc:h2:mem:overhead;DB_CLOSE_DELAY=-1");
                dialect = SQLDialect.H2;
            }
            case "postgres" -> {
                ds = pool = pool(System.getProperty("txkit.bench.postgres",
                        "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"));
                dialect = SQLDialect.POSTGRES;
            }
            default -> throw new IllegalArgumentException("backend must be stub, h2 or postgres, not " + backend);
        }
        if (pool != null) {
            try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
                st.execute("DROP TABLE IF EXISTS jmh_overhead");
                st.execute("CREATE TABLE jmh_overhead (id INT PRIMARY KEY, v BIGINT NOT NULL)");
                st.execute("INSERT INTO jmh_overhead VALUES (1, 0)");
            }
        }
        db = Database.create(ds);
        spring = new TransactionTemplate(new DataSourceTransactionManager(ds));
        jdbcTemplate = new JdbcTemplate(ds);
        jdbi = Jdbi.create(ds);
        jooq = DSL.using(ds, dialect);
    }

    private static HikariDataSource pool(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(2);
        config.setPoolName("jmh-overhead");
        return new HikariDataSource(config);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
        db.close();
        if (pool != null) {
            try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
                st.execute("DROP TABLE IF EXISTS jmh_overhead");
            }
            pool.close();
        }
    }

    @Benchmark
    public int rawJdbc() throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
                ps.setInt(1, 1);
                int n = ps.executeUpdate();
                c.commit();
                return n;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    @Benchmark
    public int txkitDefaults() {
        return db.inTransaction(tx -> tx.sql(UPDATE, 1).update());
    }

    @Benchmark
    public int txkitNoRetry() {
        return db.inTransaction(NO_RETRY, tx -> tx.sql(UPDATE, 1).update());
    }

    @Benchmark
    public int txkitAmbientDbSql() {
        return db.inTransaction(tx -> db.sql(UPDATE, 1).update());
    }

    @Benchmark
    public Integer springTransactionTemplate() {
        return spring.execute(status -> jdbcTemplate.update(UPDATE, 1));
    }

    @Benchmark
    public int jdbiInTransaction() {
        return jdbi.inTransaction(h -> h.createUpdate(UPDATE).bind(0, 1).execute());
    }

    @Benchmark
    public int jooqTransactionResult() {
        return jooq.transactionResult(cfg -> DSL.using(cfg).execute(UPDATE, 1));
    }
}
