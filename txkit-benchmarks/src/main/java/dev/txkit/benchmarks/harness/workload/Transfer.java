package dev.txkit.benchmarks.harness.workload;

import dev.txkit.Transaction;
import dev.txkit.benchmarks.harness.Access;
import dev.txkit.benchmarks.harness.Jdbc;
import dev.txkit.benchmarks.harness.Operation;
import dev.txkit.benchmarks.harness.Result;
import dev.txkit.table.Id;
import dev.txkit.table.Table;
import dev.txkit.table.TableName;
import dev.txkit.table.Version;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Move {@code amount} from account {@code from} to {@code to} if {@code from} has it. Ordered transfers
 * lock and write the lower id first (no deadlocks); unordered ones take {@code from} first.
 */
record Transfer(long from, long to, long amount, boolean ordered, AtomicLongArray deltas) implements Operation {
    private static final String T = Transfers.TABLE;

    private long first() {
        return ordered ? Math.min(from, to) : from;
    }

    private long second() {
        return ordered ? Math.max(from, to) : to;
    }

    @Override
    public Result jdbc(Connection c, Access access) throws SQLException {
        return switch (access) {
            case ATOMIC -> atomic(c);
            case VERSIONED -> versioned(c);
            default -> {
                String lock = access == Access.LOCKING ? " FOR UPDATE" : "";
                long b1 = Jdbc.queryLong(c, "SELECT balance FROM " + T + " WHERE id = ?" + lock, first());
                long b2 = Jdbc.queryLong(c, "SELECT balance FROM " + T + " WHERE id = ?" + lock, second());
                long fromBalance = first() == from ? b1 : b2;
                if (fromBalance < amount) {
                    yield Result.REJECTED;
                }
                Jdbc.update(c, "UPDATE " + T + " SET balance = ? WHERE id = ?", b1 + delta(first()), first());
                Jdbc.update(c, "UPDATE " + T + " SET balance = ? WHERE id = ?", b2 + delta(second()), second());
                yield Result.DONE;
            }
        };
    }

    private long delta(long id) {
        return id == from ? -amount : amount;
    }

    private Result atomic(Connection c) throws SQLException {
        for (long id : new long[] {first(), second()}) {
            if (id == to) {
                Jdbc.update(c, "UPDATE " + T + " SET balance = balance + ? WHERE id = ?", amount, to);
            } else if (Jdbc.update(c, "UPDATE " + T + " SET balance = balance - ? WHERE id = ? AND balance >= ?",
                    amount, from, amount) == 0) {
                if (id != first()) {
                    // the credit already ran in this transaction: take it back before committing the rejection
                    Jdbc.update(c, "UPDATE " + T + " SET balance = balance - ? WHERE id = ?", amount, to);
                }
                return Result.REJECTED;
            }
        }
        return Result.DONE;
    }

    private Result versioned(Connection c) throws SQLException {
        long[] r1 = Jdbc.queryTwoLongs(c, "SELECT balance, version FROM " + T + " WHERE id = ?", first());
        long[] r2 = Jdbc.queryTwoLongs(c, "SELECT balance, version FROM " + T + " WHERE id = ?", second());
        if ((first() == from ? r1 : r2)[0] < amount) {
            return Result.REJECTED;
        }
        String sql = "UPDATE " + T + " SET balance = ?, version = version + 1 WHERE id = ? AND version = ?";
        if (Jdbc.update(c, sql, r1[0] + delta(first()), first(), r1[1]) == 0
                || Jdbc.update(c, sql, r2[0] + delta(second()), second(), r2[1]) == 0) {
            return Result.CONFLICT;
        }
        return Result.DONE;
    }

    /**
     * The lower of the two accounts: under a skewed choice the hot accounts are the low ids, and a
     * transfer touching one is grouped with the others touching it.
     */
    @Override
    public Object contentionKey() {
        return new AccountKey(Math.min(from, to));
    }

    /** One account as a contention key. */
    private record AccountKey(long id) {
    }

    @Override
    public Result txkit(Transaction tx, Access access) {
        if (access == Access.PLAIN) {
            long b1 = tx.sql("SELECT balance FROM " + T + " WHERE id = ?", first()).one(Long.class);
            long b2 = tx.sql("SELECT balance FROM " + T + " WHERE id = ?", second()).one(Long.class);
            if ((first() == from ? b1 : b2) < amount) {
                return Result.REJECTED;
            }
            tx.sql("UPDATE " + T + " SET balance = ? WHERE id = ?", b1 + delta(first()), first()).update();
            tx.sql("UPDATE " + T + " SET balance = ? WHERE id = ?", b2 + delta(second()), second()).update();
            return Result.DONE;
        }
        Table<Account> accounts = tx.table(Account.class);
        boolean lock = access == Access.LOCKING;
        Account a1 = lock ? accounts.getForUpdate(first()) : accounts.get(first());
        Account a2 = lock ? accounts.getForUpdate(second()) : accounts.get(second());
        if ((first() == from ? a1 : a2).balance() < amount) {
            return Result.REJECTED;
        }
        accounts.update(a1.plus(delta(first())));
        accounts.update(a2.plus(delta(second())));
        return Result.DONE;
    }

    @Override
    public void acknowledge(Result result) {
        if (result == Result.DONE) {
            deltas.addAndGet((int) from, -amount);
            deltas.addAndGet((int) to, amount);
        }
    }

    /** An account row as txkit's {@code Table} maps it. */
    @TableName(Transfers.TABLE)
    public record Account(@Id long id, long balance, @Version long version) {
        Account plus(long delta) {
            return new Account(id, balance + delta, version);
        }
    }
}
