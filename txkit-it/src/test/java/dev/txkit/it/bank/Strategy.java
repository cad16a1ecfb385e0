package dev.txkit.it.bank;

import dev.txkit.Database;
import dev.txkit.IdempotencyKey;
import dev.txkit.ResultCodec;
import dev.txkit.Sql;

import java.util.UUID;

/**
 * How a client carries out a transfer. All three run the same steps ({@link #move}); they differ only
 * in the protection around them. {@link #keyed} is the txkit way: one transaction with default
 * options, locking reads, under the operation's idempotency key. {@link #unkeyed} is that transaction
 * without a key, the control for the idempotency phase (a resubmitted request is charged again).
 * {@link #naive} is the control for the rest: the same reads and writes as autocommit statements,
 * no transaction and no lock.
 *
 * @param name       as shown in the figures
 * @param resolvable whether an unknown outcome can be resolved by submitting the operation again
 * @param transfer   carries out one transfer and returns its receipt (stored in the ledger row)
 *
 * <p>Immutable; thread-safe.
 */
record Strategy(String name, boolean resolvable, Transfer transfer) {

    /** Carries out one transfer; throws what the client would see. */
    @FunctionalInterface
    interface Transfer {
        String submit(Op op);
    }

    /** Where the statements go: a transaction, or autocommit. */
    @FunctionalInterface
    private interface Statements {
        Sql sql(String sql, Object... args);
    }

    private static final String INSERT =
            "INSERT INTO ledger (op_id, from_id, to_id, amount, receipt) VALUES (?, ?, ?, ?, ?)";

    static Strategy keyed(Database db) {
        return new Strategy("txkit idempotent", true, op -> db.idempotent(
                IdempotencyKey.of(op.id()).withRequest(op.request()), ResultCodec.text(),
                tx -> move(tx::sql, " FOR UPDATE", op)));
    }

    static Strategy unkeyed(Database db) {
        return new Strategy("NAIVE no key", false, op -> db.inTransaction(tx -> move(tx::sql, " FOR UPDATE", op)));
    }

    static Strategy naive(Database db) {
        return new Strategy("NAIVE autocommit", false, op -> move(db::sql, "", op));
    }

    /**
     * The transfer: read both balances in id order (with {@code lock}, PostgreSQL would otherwise
     * meet deadlocks it detects only after {@code deadlock_timeout}, 1 s — stalling the clients rather
     * than testing anything), move the amount if the payer has it (else record it declined, amount 0),
     * write the ledger row.
     */
    private static String move(Statements run, String lock, Op op) {
        int low = Math.min(op.from(), op.to());
        long first = run.sql("SELECT balance FROM account WHERE id = ?" + lock, low).one(Long.class);
        long second = run.sql("SELECT balance FROM account WHERE id = ?" + lock, Math.max(op.from(), op.to()))
                .one(Long.class);
        long from = op.from() == low ? first : second;
        long to = op.from() == low ? second : first;
        long amount = from >= op.amount() ? op.amount() : 0;
        if (amount > 0) {
            run.sql("UPDATE account SET balance = ? WHERE id = ?", from - amount, op.from()).update();
            run.sql("UPDATE account SET balance = ? WHERE id = ?", to + amount, op.to()).update();
        }
        String receipt = (amount > 0 ? "paid-" : "declined-") + UUID.randomUUID();
        run.sql(INSERT, op.id(), op.from(), op.to(), amount, receipt).update();
        return receipt;
    }
}
