package dev.txkit.benchmarks.harness;

/**
 * Thrown by a {@code Table.modify} change to say "nothing to do by the business rule" (seat taken,
 * balance too low): txkit rejects that change alone and the operation reports {@link Result#REJECTED}.
 * No stack trace: it is an answer, not an error.
 */
public final class Rejected extends Exception {
    public Rejected() {
        super("rejected by the business rule", null, false, false);
    }
}
