package scratch;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.txkit.Database;
import dev.txkit.Isolation;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.table.Id;
import dev.txkit.table.Table;
import dev.txkit.table.TableName;
import dev.txkit.table.Version;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** Throwaway: hot-row wallet, c threads, strategies interleaved. Not a test. */
public class HotRowMain {
    @TableName("hw_wallet")
    public record W(@Id String id, long balance, @Version long version) {}

    interface Op { void run() throws Exception; }

    public static void main(String[] a) throws Exception {
        String url = a[0]; String user = a[1]; int c = Integer.parseInt(a[2]); int secs = Integer.parseInt(a[3]);
        String[] strategies = a[4].split(",");
        HikariConfig hc = new HikariConfig(); hc.setJdbcUrl(url); hc.setUsername(user); hc.setPassword("");
        hc.setMaximumPoolSize(c + 2);
        HikariDataSource ds = new HikariDataSource(hc);
        try (Connection k = ds.getConnection(); Statement st = k.createStatement()) {
            st.execute("DROP TABLE IF EXISTS hw_wallet");
            st.execute("CREATE TABLE hw_wallet (id VARCHAR(10) PRIMARY KEY, balance BIGINT NOT NULL, version BIGINT NOT NULL)");
            st.execute("INSERT INTO hw_wallet VALUES ('w', 1000000000, 1)");
        }
        Database db = Database.create(ds);
        Table<W> wallets = db.table(W.class);
        TxOptions ser = TxOptions.defaults().withIsolation(Isolation.SERIALIZABLE);
        for (int rep = 0; rep < Integer.parseInt(a.length > 5 ? a[5] : "1"); rep++) {
        for (String s : strategies) {
            Op op = switch (s) {
                case "forupdate" -> () -> {
                    try (Connection cn = ds.getConnection()) {
                        cn.setAutoCommit(false);
                        long b;
                        try (PreparedStatement ps = cn.prepareStatement("SELECT balance FROM hw_wallet WHERE id = ? FOR UPDATE")) {
                            ps.setString(1, "w"); try (ResultSet rs = ps.executeQuery()) { rs.next(); b = rs.getLong(1); }
                        }
                        if (b > 0) try (PreparedStatement ps = cn.prepareStatement("UPDATE hw_wallet SET balance = ? WHERE id = ?")) {
                            ps.setLong(1, b - 1); ps.setString(2, "w"); ps.executeUpdate();
                        }
                        cn.commit(); cn.setAutoCommit(true);
                    }
                };
                case "default" -> () -> db.useTransaction(ser, tx -> {
                    long b = tx.sql("SELECT balance FROM hw_wallet WHERE id = ?", "w").one(Long.class);
                    if (b > 0) tx.sql("UPDATE hw_wallet SET balance = ? WHERE id = ?", b - 1, "w").update();
                });
                case "defaultrr" -> () -> db.useTransaction(TxOptions.defaults().withIsolation(Isolation.REPEATABLE_READ), tx -> {
                    long b = tx.sql("SELECT balance FROM hw_wallet WHERE id = ?", "w").one(Long.class);
                    if (b > 0) tx.sql("UPDATE hw_wallet SET balance = ? WHERE id = ?", b - 1, "w").update();
                });
                case "optimistic" -> () -> db.optimistic(dev.txkit.retry.RetryPolicy.defaults(), tx -> {
                    Table<W> t = tx.table(W.class); W w = t.get("w");
                    return w.balance() > 0 ? t.update(new W(w.id(), w.balance() - 1, w.version())) : w;
                });
                case "getforupdate" -> () -> db.useTransaction(tx -> {
                    Table<W> t = tx.table(W.class); W w = t.getForUpdate("w");
                    if (w.balance() > 0) t.update(new W(w.id(), w.balance() - 1, w.version()));
                });
                case "modify" -> () -> wallets.modify("w", w -> w.balance() > 0 ? new W(w.id(), w.balance() - 1, w.version()) : w);
                default -> throw new IllegalArgumentException(s);
            };
            AtomicLong ok = new AtomicLong(), gave = new AtomicLong();
            java.util.Map<String, AtomicLong> codes = new java.util.concurrent.ConcurrentHashMap<>();
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch done = new CountDownLatch(c);
            long t0 = System.nanoTime();
            for (int i = 0; i < c; i++) {
                new Thread(() -> {
                    while (!stop.get()) {
                        try { op.run(); ok.incrementAndGet(); }
                        catch (TxkitException e) { gave.incrementAndGet(); codes.computeIfAbsent(e.code() + "", k -> new AtomicLong()).incrementAndGet(); }
                        catch (Exception e) { gave.incrementAndGet(); codes.computeIfAbsent(e.getClass().getSimpleName(), k -> new AtomicLong()).incrementAndGet(); }
                    }
                    done.countDown();
                }).start();
            }
            Thread.sleep(secs * 1000L); stop.set(true); done.await();
            double el = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%s c=%d %-12s tps=%8.0f giveups=%d %s contention=%s%n", url.split(":")[1], c, s, ok.get() / el, gave.get(), codes, db.contention());
        }
        }
        db.close(); ds.close();
    }
}
