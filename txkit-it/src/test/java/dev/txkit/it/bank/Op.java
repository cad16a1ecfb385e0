package dev.txkit.it.bank;

/**
 * One transfer a client asks for, identified by its client operation id (also its idempotency key
 * and the {@code op_id} of its ledger row).
 *
 * <p>Immutable; thread-safe.
 */
record Op(String id, int from, int to, long amount) {

    /** What the request says, stored as the key's fingerprint: a reused id with another request is refused. */
    String request() {
        return from + "->" + to + ":" + amount;
    }
}
