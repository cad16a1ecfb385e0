package dev.txkit.internal.jdbc;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;
import dev.txkit.dialect.Dialect;
import dev.txkit.dialect.Dialects;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 14: remembering the checks of SQL texts must never let a text through that the full check refuses. */
class SqlChecksTest {

    @Test
    void aTransactionControlStatementIsRefusedEveryTime() {
        SqlChecks checks = new SqlChecks();
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> checks.refuseControl("commit", Dialects.POSTGRES))
                    .isInstanceOfSatisfying(TxkitException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MISUSE));
        }
    }

    @Test
    void aTextThatPassedForOneDialectIsCheckedAgainForAnother() {
        SqlChecks checks = new SqlChecks();
        String sql = "# a comment on MariaDB only\nCOMMIT";
        assertThatCode(() -> checks.refuseControl(sql, Dialects.POSTGRES)).doesNotThrowAnyException();
        assertThatThrownBy(() -> checks.refuseControl(sql, Dialects.MARIADB))
                .isInstanceOfSatisfying(TxkitException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MISUSE));
    }

    @Test
    void rememberedPlaceholderCountsAreTheScannersForEveryText() {
        SqlChecks checks = new SqlChecks();
        Dialect pg = Dialects.POSTGRES;
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 3 * SqlChecks.SIZE; i++) { // more texts than slots: collisions replace each other
            texts.add("UPDATE t" + i + " SET v = ?" + ", w = '?'".repeat(i % 3) + " WHERE id = ?" + " AND x = ?".repeat(i % 5));
        }
        for (String sql : texts) {
            checks.refuseControl(sql, pg);
        }
        for (String sql : texts) {
            assertThat(checks.placeholders(sql, pg)).as(sql).isEqualTo(SqlScanner.placeholders(sql, pg))
                    .isEqualTo(2 + texts.indexOf(sql) % 5);
            assertThat(checks.placeholders(new String(sql.toCharArray()), pg)).as("an equal text").isEqualTo(
                    SqlScanner.placeholders(sql, pg));
        }
    }

    @Test
    void theCountFollowsTheDialectOfTheCall() {
        SqlChecks checks = new SqlChecks();
        String sql = "SELECT ?? , ?"; // PgJDBC: "??" is a literal '?'; elsewhere two placeholders
        checks.refuseControl(sql, Dialects.POSTGRES);
        assertThat(checks.placeholders(sql, Dialects.POSTGRES)).isEqualTo(1);
        assertThat(checks.placeholders(sql, Dialects.MARIADB)).isEqualTo(3);
    }
}
