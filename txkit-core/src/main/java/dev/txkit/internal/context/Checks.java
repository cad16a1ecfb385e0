package dev.txkit.internal.context;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;

/** Argument checks shared by the internal packages. Stateless. */
public final class Checks {
    private Checks() {
    }

    /** INVALID_ARGUMENT naming {@code name} when {@code value} is null. */
    public static void require(Object value, String name) {
        if (value == null) {
            throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, name + " must not be null");
        }
    }
}
