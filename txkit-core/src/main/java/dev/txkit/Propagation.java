package dev.txkit;

/**
 * What a transaction scope does when another transaction of the same {@link Database} is already
 * active in the current scope.
 */
public enum Propagation {
    /** Join the active transaction, or start one. The default. */
    REQUIRED,
    /** Always start an independent transaction on its own connection; it commits on its own. */
    REQUIRES_NEW,
    /** Inside an active transaction, run under a savepoint: a failure undoes only this part. */
    NESTED,
    /** Join the active transaction; fail with {@link ErrorCode#MISUSE} when there is none. */
    MANDATORY,
    /** Run without a transaction; fail with {@link ErrorCode#MISUSE} when one is active. */
    NEVER
}
