package dev.txkit.it.issues;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Assertions shared by the issue 15 regression tests. */
final class Issue15 {
    private Issue15() {
    }

    /** Runs {@code call} and returns the TxkitException of {@code code} it must throw. */
    static TxkitException failsWith(ErrorCode code, ThrowingCallable call) {
        TxkitException[] caught = new TxkitException[1];
        assertThatThrownBy(call).isInstanceOfSatisfying(TxkitException.class, e -> {
            assertThat(e.code()).as(e.toString()).isEqualTo(code);
            caught[0] = e;
        });
        return caught[0];
    }

    /** The full stack trace with causes and suppressed exceptions, as printed. */
    static String stackText(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }
}
