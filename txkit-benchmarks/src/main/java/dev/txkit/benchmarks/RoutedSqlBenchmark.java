package dev.txkit.benchmarks;

import dev.txkit.Database;
import dev.txkit.Transaction;
import dev.txkit.TxOptions;
import org.h2.jdbcx.JdbcDataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One query inside an open transaction on H2 in memory, four ways: {@code tx.sql} (explicit),
 * {@code db.sql} routed to the ambient transaction, plain JDBC on the view that
 * {@code db.dataSource()} hands out inside the scope, and plain JDBC on the raw connection. The
 * routed call must cost no more than the explicit one beyond the lookup (and sends the same JDBC
 * calls: see RoundTripIT).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RoutedSqlBenchmark {
    private static final String QUERY = "SELECT n FROM item WHERE id = ?";
    private Database db;
    private Transaction tx;
    private Connection raw;

    @Setup(Level.Trial)
    public void begin() throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:routed;DB_CLOSE_DELAY=-1");
        try (Connection c = h2.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS item (id INT PRIMARY KEY, n INT)");
            st.execute("MERGE INTO item VALUES (1, 42)");
        }
        db = Database.create(h2);
        tx = db.begin(TxOptions.defaults().withTimeout(Duration.ofHours(1))); // outlives the trial
        raw = h2.getConnection();
        raw.setAutoCommit(false);
    }

    @TearDown(Level.Trial)
    public void end() throws SQLException {
        tx.rollback();
        raw.rollback();
        raw.close();
        db.close();
    }

    @Benchmark
    public int txSql() {
        return tx.sql(QUERY, 1).one(Integer.class);
    }

    @Benchmark
    public int routedDbSql() {
        return db.sql(QUERY, 1).one(Integer.class);
    }

    @Benchmark
    public int routedDataSourceJdbc() throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            return query(c);
        }
    }

    @Benchmark
    public int rawJdbc() throws SQLException {
        return query(raw);
    }

    private static int query(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(QUERY)) {
            ps.setInt(1, 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
