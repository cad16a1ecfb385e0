package dev.txkit.benchmarks.harness;

import dev.txkit.Database;
import dev.txkit.Transaction;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * One operation of a workload (a deduction, a transfer, a booking), in the two forms strategies run:
 * over a JDBC connection already in a transaction, or inside a txkit transaction. The caller owns the
 * transaction; the operation only reads and writes. It may be run several times (retries), so it
 * must not keep state between attempts; {@link #acknowledge} is called once, after the commit.
 *
 * <p>Used by one thread.
 */
public interface Operation {

    /** Runs the read-modify-write on {@code c} (auto-commit off). */
    Result jdbc(Connection c, Access access) throws SQLException;

    /** The same with txkit's API: {@code tx.sql} for {@link Access#PLAIN}, {@code tx.table} otherwise. */
    Result txkit(Transaction tx, Access access);

    /**
     * The operation as one {@code Table.modify(id, change)} call on {@code db} (no enclosing transaction,
     * so txkit may combine it with concurrent changes of the same row). Only for workloads that support
     * {@link Access#MODIFY}.
     */
    default Result modify(Database db) {
        throw new UnsupportedOperationException("this workload has no Table.modify form");
    }

    /**
     * A contention key naming the row this operation contends on most, for strategies that pass one with
     * {@code TxOptions.withContentionKey}; {@code null} when the call site already names it (one hot row).
     */
    default Object contentionKey() {
        return null;
    }

    /** The attempt that returned {@code result} has committed: record it for the invariant check. */
    void acknowledge(Result result);
}
