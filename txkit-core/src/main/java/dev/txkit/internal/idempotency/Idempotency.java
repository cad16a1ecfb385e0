package dev.txkit.internal.idempotency;

import dev.txkit.ErrorCode;
import dev.txkit.IdempotencyKey;
import dev.txkit.Propagation;
import dev.txkit.ResultCodec;
import dev.txkit.Savepoint;
import dev.txkit.Transaction;
import dev.txkit.TxCallback;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.internal.context.Checks;
import dev.txkit.internal.jdbc.SqlImpl;
import dev.txkit.internal.jdbc.StatementExecutor;
import dev.txkit.internal.tx.Transactions;
import dev.txkit.internal.tx.TxRuntime;
import dev.txkit.table.LockEscalation;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs units of work under idempotency keys. The key row is inserted first, inside the same
 * transaction as the work, so the unique key is the lock: a concurrent duplicate blocks on it and,
 * once the first commits, finds the stored result instead of running the work. The result is written
 * to the same row before COMMIT, so "key present" always means "work committed with this result".
 * That is what makes an unknown COMMIT outcome resolvable: look the key up, and if it is absent the
 * work did not commit and can run again (the claim again guards against a late first commit).
 *
 * <p>Thread-safe.
 */
public final class Idempotency {
    static final String TABLE = "txkit_idempotency";
    private static final String COLUMNS = "(idem_key, fingerprint, created_at, expires_at)";
    private static final String VALUES = "(?, ?, ?, ?)";

    private final Transactions transactions;
    private final TxRuntime rt;
    /** Statements of their own, never in the ambient transaction. */
    private final StatementExecutor autocommit;
    /** Not {@code synchronized}: the DDL is I/O, and a virtual thread must not pin its carrier waiting for it. */
    private final ReentrantLock tableLock = new ReentrantLock();
    private volatile boolean tableReady;

    public Idempotency(Transactions transactions) {
        this.transactions = transactions;
        this.rt = transactions.runtime();
        this.autocommit = rt.autocommit();
    }

    /** The stored state of one key. */
    record Stored(String fingerprint, String result, long expiresAt) {
    }

    public <R, X extends Exception> R run(TxOptions options, IdempotencyKey key, ResultCodec<R> codec,
                                          TxCallback<R, X> work) throws X {
        Checks.require(options, "options");
        Checks.require(key, "key");
        Checks.require(codec, "codec");
        Checks.require(work, "work");
        if (options.propagation() == Propagation.NEVER) {
            throw TxkitException.of(ErrorCode.MISUSE, "idempotent work needs a transaction to claim its key in;"
                    + " Propagation.NEVER cannot be used");
        }
        ensureTable();
        if (options.contentionKey() == null) {
            options = options.withContentionKey(work.getClass()); // the caller's call site, not this class's lambda
        }
        // Only the transaction that commits can lose its COMMIT; a joined scope leaves that to its owner.
        boolean commitsHere = rt.current() == null || options.propagation() == Propagation.REQUIRES_NEW;
        TxCallback<R, X> unit = tx -> claimAndRun(tx, key, codec, work);
        try {
            return runUnit(options, unit);
        } catch (TxkitException e) {
            if (e.code() != ErrorCode.COMMIT_UNKNOWN || !commitsHere) {
                throw e;
            }
            return resolve(options, key, codec, unit, e);
        }
    }

    /**
     * One run of claim + work. When the policy retries OPTIMISTIC_CONFLICT and this call owns the
     * transaction, a version-checked update that loses runs the whole unit again, claim included,
     * with the optimistic loop's lock escalation (reads after a conflict lock their rows), so a hot
     * row cannot starve it; the claim rolls back with each lost attempt, so the key stays free.
     */
    private <R, X extends Exception> R runUnit(TxOptions options, TxCallback<R, X> unit) throws X {
        if (rt.current() == null && options.retry().retryOn().contains(ErrorCode.OPTIMISTIC_CONFLICT)) {
            return transactions.optimistic(options, options.retry(), LockEscalation.AFTER_CONFLICT, unit);
        }
        return transactions.inTransaction(options, unit);
    }

    /**
     * After COMMIT_UNKNOWN: a fresh connection looks the key up. Present: the work committed; return
     * its result. Absent: it did not commit (or has not yet: then the claim of the re-run waits for
     * it and finds the result); run it once more.
     */
    private <R, X extends Exception> R resolve(TxOptions options, IdempotencyKey key, ResultCodec<R> codec,
                                               TxCallback<R, X> unit, TxkitException unknown) throws X {
        Stored stored;
        try {
            stored = new SqlImpl(autocommit, "SELECT fingerprint, result, expires_at FROM " + TABLE
                    + " WHERE idem_key = ?", new Object[]{key.key()}).optional(Stored.class).orElse(null);
        } catch (TxkitException lookupFailed) {
            unknown.addSuppressed(lookupFailed);
            throw unknown;
        }
        if (stored != null && stored.expiresAt() > System.currentTimeMillis()) {
            return replay(stored, key, codec, rt);
        }
        try {
            return runUnit(options, unit);
        } catch (TxkitException again) {
            again.addSuppressed(unknown);
            throw again;
        }
    }

    private <R, X extends Exception> R claimAndRun(Transaction tx, IdempotencyKey key, ResultCodec<R> codec,
                                                   TxCallback<R, X> work) throws X {
        long now = System.currentTimeMillis();
        if (!claim(tx, key, now)) {
            Stored stored = tx.sql("SELECT fingerprint, result, expires_at FROM " + TABLE + " WHERE idem_key = ?"
                    + lockingRead(), key.key()).optional(Stored.class).orElse(null);
            if (stored != null && stored.expiresAt() > now) {
                return replay(stored, key, codec, rt);
            }
            // Expired, purged just now, or (H2) claimed by a transaction still running: delete it if
            // expired and claim again; if a concurrent request holds it, a retry will find its result.
            tx.sql("DELETE FROM " + TABLE + " WHERE idem_key = ? AND expires_at <= ?", key.key(), now).update();
            if (!claim(tx, key, now)) {
                // H2 reports the duplicate of an uncommitted key at once instead of waiting for it
                throw TxkitException.of(ErrorCode.CONFLICT, "the idempotency key is held by a concurrent request"
                        + " that has not committed yet; retry to read that request's result");
            }
        }
        R result = work.apply(tx);
        String text = result == null ? null : codec.encode(result);
        if (result != null && text == null) {
            // Stored as NULL it would replay as a null result: the repeat would get another answer than the first
            throw TxkitException.of(ErrorCode.MISUSE, "the ResultCodec " + codec.getClass().getName()
                    + " encoded a non-null " + result.getClass().getSimpleName() + " result as null; encode must"
                    + " return text for every non-null value. The work was rolled back and the key left unused");
        }
        tx.sql("UPDATE " + TABLE + " SET result = ? WHERE idem_key = ?", text, key.key()).update();
        return result;
    }

    private static <R> R replay(Stored stored, IdempotencyKey key, ResultCodec<R> codec, TxRuntime rt) {
        if (!stored.fingerprint().equals(key.fingerprint())) {
            throw TxkitException.of(ErrorCode.IDEMPOTENCY_MISMATCH, "this idempotency key was already used for a"
                    + " different request (request fingerprint differs from the stored one); nothing was run."
                    + " Use a new key for a new request");
        }
        R result = stored.result() == null ? null : codec.decode(stored.result());
        rt.listeners().emit(dev.txkit.spi.TxListener::idempotentReplayed);
        return result;
    }

    /** Inserts the key row; false when the key exists (committed by another transaction). */
    private boolean claim(Transaction tx, IdempotencyKey key, long now) {
        long ttl = key.ttl().toMillis(); // at most IdempotencyKey.MAX_TTL; saturate anyway so an expiry never wraps
        Object[] args = {key.key(), key.fingerprint(), now, ttl > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + ttl};
        String ifAbsent = rt.dialects().orGeneric().insertIfAbsent(TABLE, COLUMNS, VALUES, "idem_key");
        if (ifAbsent != null) {
            return tx.sql(ifAbsent, args).update() == 1;
        }
        return insertOrDuplicate(tx, args, tx.savepoint());
    }

    private static boolean insertOrDuplicate(Transaction tx, Object[] args, Savepoint savepoint) {
        try {
            tx.sql("INSERT INTO " + TABLE + " " + COLUMNS + " VALUES " + VALUES, args).update();
        } catch (TxkitException e) {
            if (e.code() != ErrorCode.UNIQUE_VIOLATION) {
                throw e;
            }
            if (savepoint != null) {
                tx.rollbackTo(savepoint);
            }
            return false;
        }
        if (savepoint != null) {
            tx.release(savepoint);
        }
        return true;
    }

    /** MariaDB at REPEATABLE READ would read its snapshot; the committed row is what counts. */
    private String lockingRead() {
        return rt.dialects().orGeneric().latestCommittedReadClause();
    }

    /** Deletes expired keys; returns how many. */
    public int purgeExpired() {
        ensureTable();
        return new SqlImpl(autocommit, "DELETE FROM " + TABLE + " WHERE expires_at <= ?",
                new Object[]{System.currentTimeMillis()}).update();
    }

    /** Creates the table on first use, outside any transaction (MariaDB DDL would commit it). */
    void ensureTable() {
        if (tableReady) {
            return;
        }
        tableLock.lock();
        try {
            if (tableReady) {
                return;
            }
            IdempotencyDdl.create(autocommit, rt.dialects().resolve()); // resolve the dialect before choosing the DDL
            tableReady = true;
        } finally {
            tableLock.unlock();
        }
    }
}
