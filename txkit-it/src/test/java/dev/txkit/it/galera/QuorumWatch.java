package dev.txkit.it.galera;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Polls {@code wsrep_cluster_status} on some nodes every 200 ms while a test runs and records every
 * time one of them was outside the primary component. A node killed on purpose is not watched; the
 * survivors losing quorum (each of two nodes that were stalled together, a CPU or I/O stall of the
 * machine longer than {@code evs.inactive_timeout}, declares the other gone) is a cluster-wide write
 * outage that no client can ride out, and a test uses this to tell that apart from its own failures.
 */
final class QuorumWatch implements AutoCloseable {
    private final List<String> lapses = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean stop;

    QuorumWatch(String database, int... nodes) {
        thread = new Thread(() -> watch(database, nodes), "galera-quorum-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void watch(String database, int[] nodes) {
        while (!stop) {
            for (int node : nodes) {
                String status = status(node, database);
                if (!"Primary".equals(status)) {
                    lapses.add("node " + (node + 1) + ": " + status);
                }
            }
            try {
                TimeUnit.MILLISECONDS.sleep(200); // a sampling period, not a synchronisation
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static String status(int node, String database) {
        try (Connection c = DriverManager.getConnection(Galera.url(node, database) + "&socketTimeout=3000", "root", "");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW STATUS LIKE 'wsrep_cluster_status'")) {
            return rs.next() ? rs.getString(2) : "no wsrep_cluster_status";
        } catch (SQLException e) {
            return "unreachable (" + e.getClass().getSimpleName() + ")";
        }
    }

    /** Whether every watched node answered as part of the primary component on every poll. */
    boolean quorumHeld() {
        return lapses.isEmpty();
    }

    /** What the polls saw when quorum did not hold, first few. */
    List<String> lapses() {
        return lapses.subList(0, Math.min(5, lapses.size()));
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.interrupt();
        thread.join(10_000);
    }
}
