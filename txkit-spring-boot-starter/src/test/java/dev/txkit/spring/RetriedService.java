package dev.txkit.spring;

import dev.txkit.Database;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link TxkitTransactional} method written with JdbcTemplate only. Its first run meets a real
 * lock conflict: a connection outside the pool holds the row, and {@code FOR UPDATE NOWAIT} fails at
 * once (LOCK_TIMEOUT), reported by Spring as CannotAcquireLockException; the lock is released before
 * the method returns, so the retry succeeds.
 */
class RetriedService {
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger afterCommits = new AtomicInteger();
    private final AtomicInteger rollbacks = new AtomicInteger();
    private volatile Connection rival;
    private final JdbcTemplate jdbc;
    private final Database db;

    RetriedService(JdbcTemplate jdbc, Database db) {
        this.jdbc = jdbc;
        this.db = db;
    }

    /** Resets the counters; the next first call meets {@code rival}'s lock (none when null). */
    public void reset(Connection rival) {
        calls.set(0);
        afterCommits.set(0);
        rollbacks.set(0);
        this.rival = rival;
    }

    /** Calls, afterCommit callbacks and rolled-back completions so far. */
    public int[] counts() {
        return new int[]{calls.get(), afterCommits.get(), rollbacks.get()};
    }

    @TxkitTransactional
    public int debitOnce(String id) throws Exception {
        int call = calls.incrementAndGet();
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                afterCommits.incrementAndGet();
            }

            @Override
            public void afterCompletion(int status) {
                if (status == STATUS_ROLLED_BACK) {
                    rollbacks.incrementAndGet();
                }
            }
        });
        Connection r = rival;
        if (call == 1 && r != null) {
            try (Statement s = r.createStatement()) {
                s.executeQuery("SELECT balance FROM account WHERE id = '" + id + "' FOR UPDATE").close();
            }
        }
        try {
            jdbc.queryForObject("SELECT balance FROM account WHERE id = ? FOR UPDATE NOWAIT", Integer.class, id);
        } finally {
            if (call == 1 && r != null) {
                r.rollback(); // the rival lets go: the next attempt gets the row
            }
        }
        jdbc.update("UPDATE account SET balance = balance - 1 WHERE id = ?", id);
        return db.inScope() ? call : -1;
    }
}
