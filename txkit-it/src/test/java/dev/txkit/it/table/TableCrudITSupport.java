package dev.txkit.it.table;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;
import org.assertj.core.api.ThrowableAssert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Assertions shared by the table tests. */
final class TableCrudITSupport {
    private TableCrudITSupport() {
    }

    static TxkitException assertCode(ThrowableAssert.ThrowingCallable call, ErrorCode code) {
        TxkitException[] caught = new TxkitException[1];
        assertThatThrownBy(call).isInstanceOfSatisfying(TxkitException.class, e -> {
            assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
            caught[0] = e;
        });
        return caught[0];
    }
}
