package dev.txkit.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * A separate process for {@link ForeignDoorIT}: connects with plain JDBC, prints "connected", waits
 * for a line on its standard input, runs one statement (which waits for a lock the test's
 * transaction holds) and exits 0 when it ran.
 * Another process's session: txkit must not cancel it, only name it when the transaction times out.
 */
public final class BlockedChild {
    private BlockedChild() {
    }

    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection(args[0], args[1], args[2]); Statement st = c.createStatement()) {
            System.out.println("connected");
            System.out.flush();
            new java.io.BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8))
                    .readLine();
            st.executeUpdate(args[3]);
        }
    }
}
