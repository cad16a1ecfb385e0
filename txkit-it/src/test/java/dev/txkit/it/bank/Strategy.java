package dev.txkit.it.bank;

import dev.txkit.Database;
import dev.txkit.IdempotencyKey;
import dev.txkit.ResultCodec;
import dev.txkit.Transaction;

import java.util.UUID;

/**
 * How a client carries out a transfer. {@link #keyed} is the txkit way (one transaction, locking
 * reads, under the operation's idempotency key, default options); {@link #unkeyed} is the same
 * transaction without a key, the control for the idempotency phase (a resubmitted request is
 * charged again); {@link #naive} is the control for everything else: read, compute and write in
 * autocommit statements, with no transaction and no lock.
 *
 * <p>Each returns the receipt the work generated (stored in the ledger row). Thread-safe.
 */
record Strategy(String name, boolean resolvable, Transfer transfer) {

    /** Carries out one transfer; throws what the client would see. */
    @FunctionalInterface
    interface Transfer {
        String submit(Op op);
    }

    static Strategy keyed(Database db) {
        return new Strategy("txkit idempotent", true, op -> db.idempotent(
                IdempotencyKey.of(op.id()).withRequest(op.request()), ResultCodec.text(), tx -> apply(tx, op)));
    }

    static Strategy unkeyed(Database db) {
        return new Strategy("NAIVE no key", false, op -> db.inTransaction(tx -> apply(tx, op)));
    }

    static Strategy naive(Database db) {
        return new Strategy("NAIVE autocommit", false, op -> {
            long from = db.sql("SELECT balance FROM account WHERE id = ?", op.from()).one(Long.class);
            long to = db.sql("SELECT balance FROM account WHERE id = ?", op.to()).one(Long.class);
            long amount = from >= op.amount() ? op.amount() : 0;
            if (amount > 0) {
                db.sql("UPDATE account SET balance = ? WHERE id = ?", from - amount, op.from()).update();
                db.sql("UPDATE account SET balance = ? WHERE id = ?", to + amount, op.to()).update();
            }
            String receipt = receipt(amount);
            db.sql(INSERT, op.id(), op.from(), op.to(), amount, receipt).update();
            return receipt;
        });
    }

    private static final String INSERT =
            "INSERT INTO ledger (op_id, from_id, to_id, amount, receipt) VALUES (?, ?, ?, ?, ?)";

    /**
     * The transfer: lock both accounts in id order (PostgreSQL detects a deadlock only after
     * {@code deadlock_timeout}, 1 s, which would stall the clients rather than test anything), move, record.
     */
    private static String apply(Transaction tx, Op op) {
        long first = lockedBalance(tx, Math.min(op.from(), op.to()));
        long second = lockedBalance(tx, Math.max(op.from(), op.to()));
        long from = op.from() < op.to() ? first : second;
        long to = op.from() < op.to() ? second : first;
        long amount = from >= op.amount() ? op.amount() : 0; // declined: recorded with amount 0
        if (amount > 0) {
            tx.sql("UPDATE account SET balance = ? WHERE id = ?", from - amount, op.from()).update();
            tx.sql("UPDATE account SET balance = ? WHERE id = ?", to + amount, op.to()).update();
        }
        String receipt = receipt(amount);
        tx.sql(INSERT, op.id(), op.from(), op.to(), amount, receipt).update();
        return receipt;
    }

    private static long lockedBalance(Transaction tx, int id) {
        return tx.sql("SELECT balance FROM account WHERE id = ? FOR UPDATE", id).one(Long.class);
    }

    private static String receipt(long amount) {
        return (amount > 0 ? "paid-" : "declined-") + UUID.randomUUID();
    }
}
