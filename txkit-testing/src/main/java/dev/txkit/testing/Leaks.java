package dev.txkit.testing;

import dev.txkit.Database;

import java.util.ArrayList;
import java.util.List;

/**
 * The "nothing left behind" check txkit's own tests run after every test: no transaction open, no
 * transaction bound to the calling thread's scope, no connection borrowed from the pool (when the
 * pool tells). Static methods; thread-safe.
 */
public final class Leaks {
    private Leaks() {
    }

    /**
     * What {@code db} left behind.
     *
     * @param db the Database to check
     * @return one line per problem; empty when clean
     */
    public static List<String> of(Database db) {
        List<String> problems = new ArrayList<>();
        if (db.inScope()) {
            problems.add("a transaction is still bound to this thread's scope (a begin() without close()?)");
        }
        int open = db.openTransactions();
        if (open > 0) {
            problems.add(open + " transaction(s) still open (begun and neither committed nor rolled back)");
        }
        int active = db.activeConnections();
        if (active > 0) {
            problems.add(active + " connection(s) still borrowed from the pool: " + db.poolState());
        }
        return problems;
    }

    /**
     * Fails when {@code db} left anything behind (see {@link #of(Database)}).
     *
     * @param db the Database to check
     * @throws AssertionError listing every problem
     */
    public static void assertNone(Database db) {
        List<String> problems = of(db);
        if (!problems.isEmpty()) {
            throw new AssertionError("txkit leak check failed: " + String.join("; ", problems));
        }
    }
}
