package dev.txkit.benchmarks.harness.strategy;

import dev.txkit.TxOptions;
import dev.txkit.benchmarks.harness.Access;
import dev.txkit.benchmarks.harness.DbKind;
import dev.txkit.benchmarks.harness.Env;
import dev.txkit.benchmarks.harness.Operation;
import dev.txkit.benchmarks.harness.Result;
import dev.txkit.benchmarks.harness.Tally;

/**
 * txkit's default path at the isolation the README recommends for MariaDB: {@code db.inTransaction} with
 * default options — MariaDB's REPEATABLE READ, which txkit runs with {@code innodb_snapshot_isolation=ON}
 * so a stale write fails with 1020 and is retried — and the default {@code RetryPolicy}, plain
 * {@code tx.sql}. MariaDB only: PostgreSQL's default, READ COMMITTED, does not stop a plain
 * read-modify-write from losing updates, and the README does not recommend it for one.
 *
 * <p>Stateless; thread-safe.
 */
public final class TxkitDefaultsRr extends Named {
    private static final TxOptions DEFAULTS = TxOptions.defaults();

    public TxkitDefaultsRr() {
        super("txkit-default-rr", "full-jitter", Access.PLAIN);
    }

    @Override
    public boolean runsOn(DbKind db) {
        return db == DbKind.MARIADB;
    }

    @Override
    public Result run(Env env, Operation op, Tally tally) throws Exception {
        return env.db.inTransaction(DEFAULTS, tx -> op.txkit(tx, Access.PLAIN));
    }
}
