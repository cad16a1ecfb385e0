package dev.txkit.examples.wallet;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;

/** A save based on an old version: OPTIMISTIC_CONFLICT (409) carrying the document as it is now. */
final class StaleDocument extends TxkitException {
    private static final long serialVersionUID = 1L;
    private final transient Document current;

    StaleDocument(Document current) {
        super(ErrorCode.OPTIMISTIC_CONFLICT, "document " + current.id() + " is at version " + current.version());
        this.current = current;
    }

    Document current() {
        return current;
    }
}
