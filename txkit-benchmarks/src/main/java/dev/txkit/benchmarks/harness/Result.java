package dev.txkit.benchmarks.harness;

/** What one attempt of an operation found. */
public enum Result {
    /** The change was made (and is acknowledged once its transaction commits). */
    DONE,
    /** Nothing to do by the business rule (seat already taken, balance too low): a correct answer. */
    REJECTED,
    /** The version check failed: roll back and try again. */
    CONFLICT
}
