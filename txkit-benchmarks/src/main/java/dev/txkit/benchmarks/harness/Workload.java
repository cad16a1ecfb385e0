package dev.txkit.benchmarks.harness;

import java.sql.SQLException;
import java.util.List;

/**
 * A contention workload (W1 wallet, W2 transfers, W3 seats): its tables, its operations and the
 * invariant checked at the end of every cell. Implementations live in
 * {@code dev.txkit.benchmarks.harness.workload}.
 *
 * <p>Immutable description; {@link #start} makes the per-cell state.
 */
public interface Workload {

    /** The CSV's {@code workload} column, e.g. {@code W2-transfer}. */
    String name();

    /** The number of rows the operations pick from (1 for the wallet, N accounts, S seats). */
    int rows();

    /** The Zipf exponent of the row choice (0 = uniform; 0 where nothing is chosen). */
    double theta();

    /** Whether an operation can be run with {@code access}. */
    boolean supports(Access access);

    /** The tables to clean between cells. */
    List<String> tables();

    /** Creates the tables and their rows (idempotent: reuses what a previous workload of this kind made). */
    void setup(Env env) throws SQLException;

    /** Drops the tables. */
    void drop(Env env) throws SQLException;

    /** Resets what must be reset and snapshots what the invariant compares against. */
    Cell start(Env env) throws SQLException;

    /** One cell's state: per-client operation sources, an optional auditor, the invariant. */
    interface Cell {
        /** The operation source for client {@code index} (each client its own random stream). */
        Client client(int index);

        /** Runs alongside the clients until {@code stop} is set (W2's {@code sum(balance)} reader), or null. */
        default Auditor auditor() {
            return null;
        }

        /** Checks the invariant once every client has stopped. */
        Invariant check(Env env) throws SQLException;
    }

    /** Makes one client's operations. Used by one thread. */
    interface Client {
        Operation next();
    }

    /** A concurrent reader checking a property while the clients run. */
    interface Auditor {
        /** One audit; returns a description of the violation, or null. */
        String audit(Env env) throws SQLException;
    }

    /** The outcome of an invariant check: {@code detail} says what was compared (and what broke). */
    record Invariant(boolean ok, String detail) {
    }
}
