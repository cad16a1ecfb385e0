import com.zaxxer.hikari.*;
import dev.txkit.*;
import dev.txkit.table.*;
import dev.txkit.retry.RetryPolicy;
import java.sql.*;
import java.util.*;

/**
 * Session 11's in-JVM A/B (throwaway diagnostic, kept so the numbers can be reproduced): one hot wallet,
 * -Dthreads=N clients, each variant on a pool of its own, 5 000 warm-up operations each, then shuffled
 * 2-s rounds. Arguments: JDBC URL, rounds, optionally a comma-separated list of variants (the first
 * variant printed as 1.000 is hand-for-update, which must be in the list). Prints median TPS, the ratio
 * and the client process's CPU per operation.
 */
public class AB {
    static int THREADS = Integer.getInteger("threads", 1);
    @TableName("ab_wallet")
    public record Row(@Id long id, long balance, @Version long version) {}

    static HikariDataSource pool(String url, String init) {
        HikariConfig c = new HikariConfig(); c.setJdbcUrl(url); c.setMaximumPoolSize(THREADS); c.setMinimumIdle(THREADS);
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
        HikariDataSource pA = pool(url, null), pB = pool(url, maria ? "SET SESSION innodb_snapshot_isolation=ON" : null), pC = pool(url, null), pD = pool(url, null), pE = pool(url, maria ? "SET SESSION innodb_snapshot_isolation=ON" : null), pF = pool(url, maria ? "SET SESSION innodb_snapshot_isolation=ON" : null), pG = pool(url, null);
        String wrap = maria ? "SET STATEMENT innodb_snapshot_isolation = OFF FOR " : "";
        Database dbC = Database.create(pC), dbD = Database.create(pD);
        Map<String, Op> ops = new LinkedHashMap<>();
        ops.put("hand-for-update", () -> forUpdate(pA, ""));
        ops.put("hand-fu-snapshot+wrap", () -> forUpdate(pB, wrap));
        ops.put("txkit-getForUpdate", () -> dbC.inTransaction(tx -> {
            Table<Row> t = tx.table(Row.class); Row w = t.getForUpdate(1L); t.update(new Row(w.id(), w.balance() - 1, w.version())); return null; }));
        ops.put("txkit-optimistic", () -> dbD.optimistic(RetryPolicy.defaults(), tx -> {
            Table<Row> t = tx.table(Row.class); Row w = t.get(1L); t.update(new Row(w.id(), w.balance() - 1, w.version())); return null; }));
        ops.put("hand-fu-snapshot+wrapboth", () -> forUpdate2(pE, wrap));
        HikariDataSource pH = pool(url, null), pI = pool(url, null);
        Database dbI = Database.create(pI);
        ops.put("txkit-sql", () -> dbI.inTransaction(tx -> {
            long b = tx.sql("SELECT balance FROM ab_wallet WHERE id = 1 FOR UPDATE").one(Long.class);
            tx.sql("UPDATE ab_wallet SET balance = ? WHERE id = 1", b - 1).update(); return null; }));
        ops.put("hand-occ", () -> { while (!occ(pH)) { } });
        ops.put("hand-fu-snapshot", () -> forUpdate(pF, ""));
        ops.put("hand-fu-wrap", () -> forUpdate(pG, wrap));
        for (var e : ops.entrySet()) for (int i = 0; i < 5000; i++) e.getValue().run();
        Map<String, List<Double>> res = new LinkedHashMap<>(); Map<String, List<Double>> cpuPerOp = new LinkedHashMap<>();
        int rounds = Integer.parseInt(a[1]);
        if (a.length > 2) { ops.keySet().retainAll(List.of(a[2].split(","))); }
        for (int r = 0; r < rounds; r++) {
            List<String> order = new ArrayList<>(ops.keySet()); Collections.shuffle(order, new Random(r));
            for (String k : order) {
                Op op = ops.get(k); long cpu0 = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime(); long t0 = System.nanoTime(), end = t0 + 2_000_000_000L;
                java.util.concurrent.atomic.AtomicLong n = new java.util.concurrent.atomic.AtomicLong();
                List<Thread> ts = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) { Thread th = new Thread(() -> { try { while (System.nanoTime() < end) { op.run(); n.incrementAndGet(); } } catch (Exception ex) { throw new RuntimeException(ex); } }); th.start(); ts.add(th); }
                for (Thread th : ts) th.join();
                res.computeIfAbsent(k, x -> new ArrayList<>()).add(n.get() / ((System.nanoTime() - t0) / 1e9));
                long cpu1 = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
                cpuPerOp.computeIfAbsent(k, x -> new ArrayList<>()).add((cpu1 - cpu0) / 1000.0 / n.get());
            }
        }
        double base = median(res.get("hand-for-update"));
        for (var e : res.entrySet()) {
            double m = median(e.getValue());
            System.out.printf("%-24s median %7.0f  ratio %.3f  %s%n", e.getKey(), m, m / base, e.getValue().stream().map(x -> String.format("%.0f", x)).toList());
        }
        for (var e : cpuPerOp.entrySet()) System.out.printf("%-24s client CPU us/op median %.1f%n", e.getKey(), median(e.getValue()));
        System.out.println("C: " + dbC.contention());
        System.out.println("D: " + dbD.contention());
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
    static void forUpdate2(HikariDataSource p, String wrap) throws SQLException {
        try (Connection c = p.getConnection()) {
            c.setAutoCommit(false);
            long b;
            try (PreparedStatement ps = c.prepareStatement(wrap + "SELECT balance FROM ab_wallet WHERE id = 1 FOR UPDATE"); ResultSet rs = ps.executeQuery()) { rs.next(); b = rs.getLong(1); }
            try (PreparedStatement ps = c.prepareStatement(wrap + "UPDATE ab_wallet SET balance = ? WHERE id = 1")) { ps.setLong(1, b - 1); ps.executeUpdate(); }
            c.commit(); c.setAutoCommit(true);
        }
    }
    /** One OCC attempt; false when the version moved (the caller tries again at once). */
    static boolean occ(HikariDataSource p) throws SQLException {
        try (Connection c = p.getConnection()) {
            c.setAutoCommit(false);
            long b, v;
            boolean ok;
            try (PreparedStatement ps = c.prepareStatement("SELECT balance, version FROM ab_wallet WHERE id = 1"); ResultSet rs = ps.executeQuery()) { rs.next(); b = rs.getLong(1); v = rs.getLong(2); }
            try (PreparedStatement ps = c.prepareStatement("UPDATE ab_wallet SET balance = ?, version = version + 1 WHERE id = 1 AND version = ?")) { ps.setLong(1, b - 1); ps.setLong(2, v); ok = ps.executeUpdate() == 1; }
            c.commit(); c.setAutoCommit(true);
            return ok;
        }
    }
}
