package dev.txkit.internal.tx;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;
import dev.txkit.internal.jdbc.Errors;
import dev.txkit.internal.jdbc.InFlight;

/** Message texts of {@link PhysicalTx} failures, kept apart from the state machine. */
final class TxMessages {
    private TxMessages() {
    }

    static String describe(PhysicalTx.State s) {
        return s == PhysicalTx.State.COMMITTED ? "committed"
                : s == PhysicalTx.State.UNKNOWN ? "lost during COMMIT" : "rolled back";
    }

    /** The message without its leading {@code CODE: }. */
    static String stripCode(TxkitException e) {
        String m = e.getMessage();
        int i = m.indexOf(": ");
        return i < 0 ? m : m.substring(i + 2);
    }

    static TxkitException closed(long id, PhysicalTx.State state, TxkitException cause, String what) {
        if (state == PhysicalTx.State.TIMED_OUT && cause != null) {
            return new TxkitException(ErrorCode.TIMEOUT, "cannot run " + Errors.abbreviate(what) + ": " + stripCode(cause),
                    cause);
        }
        String how = cause == null ? "it was " + describe(state) : "it was rolled back after " + cause.code();
        return new TxkitException(ErrorCode.CLOSED, "transaction " + id + " has ended (" + how + "); cannot run "
                + Errors.abbreviate(what), cause);
    }

    static TxkitException timeout(long id, long ranMillis, java.time.Duration limit, String what, Throwable cause) {
        return new TxkitException(ErrorCode.TIMEOUT, "transaction " + id + " ran " + ranMillis + " ms, past its timeout of "
                + limit.toMillis() + " ms; " + what + "; the transaction was rolled back."
                + " Do less inside the transaction or raise TxOptions.withTimeout", cause);
    }

    static TxkitException concurrentUse(PhysicalTx tx, Thread other, InFlight running, String sql) {
        return new TxkitException(ErrorCode.MISUSE, "transaction " + tx.id + " is in use by thread '"
                + (other == null ? "?" : other.getName()) + "'"
                + (running == null ? "" : " (running " + Errors.abbreviate(running.sql) + ")")
                + ", so thread '" + Thread.currentThread().getName() + "' may not run " + Errors.abbreviate(sql)
                + " at the same time: rejectConcurrentUse is on. Let one thread at a time use a transaction,"
                + " or turn Database.Builder.rejectConcurrentUse off to have such statements run one after another");
    }
}
