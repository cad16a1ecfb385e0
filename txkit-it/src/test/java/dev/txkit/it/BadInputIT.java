package dev.txkit.it;

import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.Isolation;
import dev.txkit.Propagation;
import dev.txkit.TxCallback;
import dev.txkit.TxConsumer;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.testing.DbKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;

import static dev.txkit.it.TransactionIT.assertCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad input gets a typed error naming the bad value, and nothing is written. */
class BadInputIT extends DbIT {

    @BeforeEach
    void table() {
        for (DbKind kind : available(DbKind.values())) {
            schema(kind).execute("DROP TABLE IF EXISTS item", "CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(50))");
        }
    }

    record NotMatching(long id, String missingColumn) {
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void nullsAndBadValuesAreInvalidArguments(DbKind kind) {
        Database db = db(kind);
        assertInvalid(() -> db.inTransaction((TxCallback<Object, RuntimeException>) null), "callback");
        assertInvalid(() -> db.useTransaction((TxConsumer<RuntimeException>) null), "callback");
        assertInvalid(() -> db.inTransaction(null, tx -> 1), "options");
        assertInvalid(() -> db.begin(null), "options");
        assertInvalid(() -> db.sql(null), "sql");
        assertInvalid(() -> db.sql("SELECT 1", (Object[]) null), "args");
        assertInvalid(() -> db.inSequence((TxCallback<Object, RuntimeException>[]) null), "steps");
        assertInvalid(() -> db.useTransaction(tx -> tx.afterCommit(null)), "hook");
        assertInvalid(() -> db.useTransaction(tx -> tx.sql("INSERT INTO item VALUES (?, ?)", 1, new Object()).update()),
                "unsupported type java.lang.Object");
        assertInvalid(() -> db.sql("SELECT id, name FROM item").list(NotMatching.class), "missingColumn");
        assertInvalid(() -> db.sql("SELECT id FROM item").list(StringBuilder.class), "StringBuilder");
        assertThat(TransactionIT.committedRows(this, kind)).isZero();
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void sqlErrorsAreTypedAndNameTheStatementButNoValue(DbKind kind) {
        Database db = db(kind);
        assertThatThrownBy(() -> db.useTransaction(tx -> {
            tx.sql("INSERT INTO item VALUES (?, ?)", 1, "secret-value").update();
            tx.sql("INSERT INTO no_such_table VALUES (?)", "another-secret").update();
        })).isInstanceOfSatisfying(TxkitException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.SQL_ERROR);
            assertThat(e.getMessage()).contains("no_such_table").doesNotContain("secret");
            assertThat(e.sqlState() != null || e.vendorCode() != 0).as("SQLSTATE or vendor code kept").isTrue();
        });
        db.sql("INSERT INTO item VALUES (?, ?)", 1, "top-secret").update();
        assertThatThrownBy(() -> db.sql("INSERT INTO item VALUES (?, ?)", 1, "top-secret").update())
                .isInstanceOfSatisfying(TxkitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNIQUE_VIOLATION);
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(stackText(e)).doesNotContain("top-secret");
                });
        assertThat(TransactionIT.committedRows(this, kind)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB", "H2"})
    void impossiblePropagationCombinationsAreMisuse(DbKind kind) {
        Database db = db(kind);
        assertCode(() -> db.begin(TxOptions.defaults().withPropagation(Propagation.NEVER)), ErrorCode.MISUSE);
        assertCode(() -> db.begin(TxOptions.defaults().withPropagation(Propagation.MANDATORY)), ErrorCode.MISUSE);
        assertCode(() -> db.useTransaction(outer -> {
            outer.sql("INSERT INTO item VALUES (1, 'a')").update();
            db.useTransaction(TxOptions.defaults().withIsolation(Isolation.SERIALIZABLE), inner -> { });
        }), ErrorCode.MISUSE);
        assertCode(() -> db.useTransaction(outer -> db.useTransaction(TxOptions.defaults().withReadOnly(true), inner -> { })),
                ErrorCode.MISUSE);
        assertThat(TransactionIT.committedRows(this, kind)).isZero();
    }

    static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String mentions) {
        assertThatThrownBy(call).isInstanceOfSatisfying(TxkitException.class, e -> {
            assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(e.getMessage()).contains(mentions);
            assertThat(e.httpStatus()).isEqualTo(400);
        });
    }

    static String stackText(Throwable t) {
        java.io.StringWriter w = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(w));
        return w.toString();
    }
}
