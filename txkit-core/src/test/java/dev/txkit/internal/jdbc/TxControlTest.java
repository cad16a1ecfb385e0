package dev.txkit.internal.jdbc;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;
import dev.txkit.dialect.Dialects;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 15 "also document": transaction-control statements sent through sql() are refused with MISUSE naming the method. */
class TxControlTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "commit                                 | tx.commit()",
            "  COMMIT WORK;                         | tx.commit()",
            "/* why */ end                          | tx.commit()",
            "Rollback                               | tx.rollback()",
            "rollback  to   savepoint s1            | tx.rollbackTo(savepoint)",
            "abort                                  | tx.rollback()",
            "begin                                  | db.begin()",
            "-- note\\nSTART TRANSACTION READ ONLY  | db.begin()",
            "savepoint s1                           | tx.savepoint()",
            "release savepoint s1                   | tx.release(savepoint)",
            "set autocommit = 0                     | autocommit",
            "SET SESSION autocommit=1               | autocommit",
            "set @@autocommit := 1                  | autocommit",
            "XA START 'x'                           | two-phase commit",
            "prepare transaction 'x'                | two-phase commit",
    })
    void refusesTransactionControlWithMisuseNamingTheMethod(String sql, String method) {
        assertThatThrownBy(() -> TxControl.refuse(sql.replace("\\n", "\n"), Dialects.POSTGRES))
                .isInstanceOfSatisfying(TxkitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.MISUSE);
                    assertThat(e.getMessage()).contains(method).contains("nothing was sent");
                });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"select 'commit'", "update t set committed = true", "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE",
            "set search_path = x", "BEGIN NOT ATOMIC SELECT 1; END", "starting_point", "insert into release values (1)"})
    void letsOrdinaryStatementsThrough(String sql) {
        assertThatCode(() -> TxControl.refuse(sql, Dialects.MARIADB)).doesNotThrowAnyException();
    }
}
