package dev.txkit.internal.tx;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;
import dev.txkit.internal.jdbc.Errors;
import dev.txkit.internal.jdbc.InFlight;
import dev.txkit.internal.jdbc.TxView;

/** Message texts of {@link PhysicalTx} failures, kept apart from the state machine. */
public final class TxMessages {
    private TxMessages() {
    }

    /** How a transaction names itself in messages, e.g. {@code transaction 7 (active, owner main, age 12 ms)}. */
    static String describe(PhysicalTx tx, TxOutcome.State s) {
        return "transaction " + tx.id + " (" + s.name().toLowerCase(java.util.Locale.ROOT) + ", owner "
                + tx.owner.getName() + ", age " + tx.ageMillis() + " ms)";
    }

    static String describe(TxOutcome.State s) {
        return s == TxOutcome.State.COMMITTED ? "committed"
                : s == TxOutcome.State.UNKNOWN ? "lost during COMMIT" : "rolled back";
    }

    /** The message without its leading {@code CODE: }. */
    static String stripCode(TxkitException e) {
        return e.detail();
    }

    static TxkitException closed(long id, TxOutcome.State state, TxkitException cause, String what) {
        if (state == TxOutcome.State.TIMED_OUT && cause != null) {
            return TxkitException.of(ErrorCode.TIMEOUT, "cannot run " + Errors.abbreviate(what) + ": " + stripCode(cause),
                    cause);
        }
        String how = cause == null ? "it was " + describe(state) : "it was rolled back after " + cause.code();
        return TxkitException.of(ErrorCode.CLOSED, "transaction " + id + " has ended (" + how + "); cannot run "
                + Errors.abbreviate(what), cause);
    }

    /**
     * A TIMEOUT. With {@code lockWait} (what the server's lock view showed) the message says the time
     * went into a lock wait, not into work, and the advice is about that wait.
     */
    static TxkitException timeout(long id, long ranMillis, java.time.Duration limit, String what, Throwable cause,
                                  String lockWait) {
        String head = "transaction " + id + " ran " + ranMillis + " ms, past its timeout of " + limit.toMillis() + " ms; "
                + what + "; the transaction was rolled back.";
        if (lockWait == null) {
            return TxkitException.of(ErrorCode.TIMEOUT, head + " Do less inside the transaction or raise"
                    + " TxOptions.withTimeout", cause);
        }
        return TxkitException.of(ErrorCode.TIMEOUT, head + " The time went into a lock wait, not into work: " + lockWait
                + ". If the waiting session is this application's own (another pool, a connection txkit does not"
                + " manage), run that work inside the transaction (db.dataSource(), db.propagate) or after it commits;"
                + " otherwise make the other transaction shorter", cause);
    }

    static TxkitException concurrentUse(TxView tx, Thread other, InFlight running, String sql) {
        return TxkitException.of(ErrorCode.MISUSE, "transaction " + tx.id() + " is in use by thread '"
                + (other == null ? "?" : other.getName()) + "'"
                + (running == null ? "" : " (running " + Errors.abbreviate(running.sql) + ")")
                + ", so thread '" + Thread.currentThread().getName() + "' may not run " + Errors.abbreviate(sql)
                + " at the same time: rejectConcurrentUse is on. Let one thread at a time use a transaction,"
                + " or turn Database.Builder.rejectConcurrentUse off to have such statements run one after another");
    }

    /** Strict mode: root use inside a scope. */
    public static TxkitException strictMisuse(PhysicalTx current, String what) {
        return TxkitException.of(ErrorCode.MISUSE, what + " was called on the root Database inside "
                + current + " while strict mode is on; use the Transaction passed to your callback"
                + " (tx.sql(...), tx.connection()) instead");
    }

    /** Strict mode: a REQUIRED begin on the root Database inside a scope. */
    public static TxkitException strictJoin(PhysicalTx current, String what) {
        return TxkitException.of(ErrorCode.MISUSE, what + " with Propagation.REQUIRED was called on the root Database"
                + " inside " + current + " while strict mode is on, where it would silently join that transaction;"
                + " use the Transaction passed to your callback instead, or say what you mean: Propagation.MANDATORY"
                + " or NESTED to join, REQUIRES_NEW for a separate transaction");
    }

    /** The callback returned normally, but txkit had already rolled the transaction back for {@code cause}. */
    static TxkitException rolledBackBeforeReturn(long id, TxkitException cause) {
        return TxkitException.of(cause.code(), "the callback returned normally, but transaction " + id
                + " had already been rolled back: " + stripCode(cause), cause, cause.sqlState(), cause.vendorCode());
    }
}
