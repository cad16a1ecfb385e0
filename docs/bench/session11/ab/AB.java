import com.zaxxer.hikari.*;
import dev.txkit.*;
import dev.txkit.table.*;
import dev.txkit.retry.RetryPolicy;
import java.sql.*;
import java.util.*;

public class AB {
    @TableName("ab_wallet")
    public record Row(@Id long id, long balance, @Version long version) {}

    static HikariDataSource pool(String url, String init) {
        HikariConfig c = new HikariConfig(); c.setJdbcUrl(url); c.setMaximumPoolSize(1); c.setMinimumIdle(1);
        if (init != null) c.setConnectionInitSql(init);
        return new HikariDataSource(c);
    }
    interface Op { void run() throws Exception; }

    public static void main(String[] a) throws Exception {
        String url = a[0];
        boolean maria = url.contains("mariadb");
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS ab_wallet");
            st.execute("CREATE TABLE ab_wallet (id BIGINT PRIMARY KEY, balance BIGINT NOT NULL, version BIGINT NOT NULL)");
            st.execute("INSERT INTO ab_wallet VALUES (1, 1000000000000, 1)");
        }
        HikariDataSource pA = pool(url, null), pB = pool(url, maria ? "SET SESSION innodb_snapshot_isolation=ON" : null), pC = pool(url, null), pD = pool(url, null), pE = pool(url, null), pF = pool(url, maria ? "SET SESSION innodb_snapshot_isolation=ON" : null), pG = pool(url, null);
        String wrap = maria ? "SET STATEMENT innodb_snapshot_isolation = OFF FOR " : "";
        Database dbC = Database.create(pC), dbD = Database.create(pD);
        Map<String, Op> ops = new LinkedHashMap<>();
        ops.put("hand-for-update", () -> forUpdate(pA, ""));
        ops.put("hand-fu-snapshot+wrap", () -> forUpdate(pB, wrap));
        ops.put("txkit-getForUpdate", () -> dbC.inTransaction(tx -> {
            Table<Row> t = tx.table(Row.class); Row w = t.getForUpdate(1L); t.update(new Row(w.id(), w.balance() - 1, w.version())); return null; }));
        ops.put("txkit-optimistic", () -> dbD.optimistic(RetryPolicy.defaults(), tx -> {
            Table<Row> t = tx.table(Row.class); Row w = t.get(1L); t.update(new Row(w.id(), w.balance() - 1, w.version())); return null; }));
        ops.put("hand-occ", () -> occ(pE));
        ops.put("hand-fu-snapshot", () -> forUpdate(pF, ""));
        ops.put("hand-fu-wrap", () -> forUpdate(pG, wrap));
        for (var e : ops.entrySet()) for (int i = 0; i < 5000; i++) e.getValue().run();
        Map<String, List<Double>> res = new LinkedHashMap<>();
        int rounds = Integer.parseInt(a[1]);
        for (int r = 0; r < rounds; r++) {
            List<String> order = new ArrayList<>(ops.keySet()); Collections.shuffle(order, new Random(r));
            for (String k : order) {
                Op op = ops.get(k); long n = 0, end = System.nanoTime() + 2_000_000_000L, t0 = System.nanoTime();
                while (System.nanoTime() < end) { op.run(); n++; }
                res.computeIfAbsent(k, x -> new ArrayList<>()).add(n / ((System.nanoTime() - t0) / 1e9));
            }
        }
        double base = median(res.get("hand-for-update"));
        for (var e : res.entrySet()) {
            double m = median(e.getValue());
            System.out.printf("%-24s median %7.0f  ratio %.3f  %s%n", e.getKey(), m, m / base, e.getValue().stream().map(x -> String.format("%.0f", x)).toList());
        }
        System.exit(0);
    }
    static double median(List<Double> l) { List<Double> s = new ArrayList<>(l); Collections.sort(s); return s.get(s.size() / 2); }
    static void forUpdate(HikariDataSource p, String wrap) throws SQLException {
        try (Connection c = p.getConnection()) {
            c.setAutoCommit(false);
            long b;
            try (PreparedStatement ps = c.prepareStatement("SELECT balance FROM ab_wallet WHERE id = 1 FOR UPDATE"); ResultSet rs = ps.executeQuery()) { rs.next(); b = rs.getLong(1); }
            try (PreparedStatement ps = c.prepareStatement(wrap + "UPDATE ab_wallet SET balance = ? WHERE id = 1")) { ps.setLong(1, b - 1); ps.executeUpdate(); }
            c.commit(); c.setAutoCommit(true);
        }
    }
    static void occ(HikariDataSource p) throws SQLException {
        try (Connection c = p.getConnection()) {
            c.setAutoCommit(false);
            long b, v;
            try (PreparedStatement ps = c.prepareStatement("SELECT balance, version FROM ab_wallet WHERE id = 1"); ResultSet rs = ps.executeQuery()) { rs.next(); b = rs.getLong(1); v = rs.getLong(2); }
            try (PreparedStatement ps = c.prepareStatement("UPDATE ab_wallet SET balance = ?, version = version + 1 WHERE id = 1 AND version = ?")) { ps.setLong(1, b - 1); ps.setLong(2, v); ps.executeUpdate(); }
            c.commit(); c.setAutoCommit(true);
        }
    }
}
