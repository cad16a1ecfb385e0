package dev.txkit.internal.contention;

/**
 * Ends an attempt at its first statement, before anything it does has been sent, because the row it names
 * is hot and its places are taken: the attempt rolls back, gives its connection back, waits for the row's
 * turn holding nothing, and starts again. Not a failure and not an attempt; it never reaches the caller of
 * the transaction (if the callback catches it, the transaction still rolls back and starts again). No stack
 * trace: it is control flow.
 */
final class Readmit extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The hot row's key. */
    final transient RowKey row;

    Readmit(RowKey row) {
        super("txkit contention control: this attempt waits for its row's turn and starts again (internal; let it"
                + " pass)", null, false, false);
        this.row = row;
    }
}
