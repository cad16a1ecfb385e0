package dev.txkit.dialect;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;
import dev.txkit.table.RowLock;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The dialect SQL behind dev.txkit.table: quoting case, lock clauses, upserts, NOWAIT codes. */
class TableSqlTest {
    private static final List<String> PG_COLUMNS = List.of("\"id\"", "\"balance\"", "\"version\"");

    @Test
    void namesAreQuotedWithTheCaseUnquotedNamesGet() {
        assertThat(Dialects.POSTGRES.quoteAsStored("Wallet")).isEqualTo("\"wallet\"");
        assertThat(Dialects.H2.quoteAsStored("wallet")).isEqualTo("\"WALLET\"");
        assertThat(Dialects.MARIADB.quoteAsStored("Wallet")).isEqualTo("`Wallet`");
        assertThat(Dialects.SQLITE.quoteAsStored("wallet")).isEqualTo("\"wallet\"");
    }

    @Test
    void lockClauses() {
        assertThat(Dialects.POSTGRES.lockClause(RowLock.WAIT)).isEqualTo(" FOR UPDATE");
        assertThat(Dialects.MARIADB.lockClause(RowLock.NOWAIT)).isEqualTo(" FOR UPDATE NOWAIT");
        assertThat(Dialects.H2.lockClause(RowLock.SKIP_LOCKED)).isEqualTo(" FOR UPDATE SKIP LOCKED");
        assertThat(Dialects.SQLITE.supportsRowLocks()).isFalse();
        assertThatThrownBy(() -> Dialects.SQLITE.lockClause(RowLock.WAIT)).isInstanceOfSatisfying(TxkitException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED));
    }

    @Test
    void upsertsUpdateEverythingButTheKeyAndBumpTheVersion() {
        assertThat(Dialects.POSTGRES.upsert("\"wallet\"", PG_COLUMNS, "\"id\"", "\"version\""))
                .isEqualTo("INSERT INTO \"wallet\" (\"id\", \"balance\", \"version\") VALUES (?, ?, ?) ON CONFLICT (\"id\")"
                        + " DO UPDATE SET \"balance\" = EXCLUDED.\"balance\", \"version\" = \"wallet\".\"version\" + 1");
        assertThat(Dialects.MARIADB.upsert("`wallet`", List.of("`id`", "`balance`"), "`id`", null))
                .isEqualTo("INSERT INTO `wallet` (`id`, `balance`) VALUES (?, ?) ON DUPLICATE KEY UPDATE"
                        + " `balance` = VALUES(`balance`)");
        assertThat(Dialects.H2.upsert("T", List.of("ID", "B", "V"), "ID", "V"))
                .isEqualTo("MERGE INTO T t USING (VALUES (?, ?, ?)) s (ID, B, V) ON t.ID = s.ID WHEN MATCHED THEN"
                        + " UPDATE SET B = s.B, V = t.V + 1 WHEN NOT MATCHED THEN INSERT (ID, B, V) VALUES (s.ID, s.B, s.V)");
        assertThatThrownBy(() -> new GenericDialect("Other").upsert("t", List.of("id"), "id", null))
                .isInstanceOfSatisfying(TxkitException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED));
    }

    @Test
    void nowaitMissesAreLockTimeouts() {
        assertThat(Dialects.MARIADB.classify(new SQLException("NOWAIT", "HY000", 3572), false))
                .isEqualTo(ErrorCode.LOCK_TIMEOUT);
        assertThat(Dialects.MARIADB.classify(new SQLException("lock wait", "HY000", 1205), false))
                .isEqualTo(ErrorCode.LOCK_TIMEOUT);
        assertThat(Dialects.POSTGRES.classify(new SQLException("could not obtain lock", "55P03"), false))
                .isEqualTo(ErrorCode.LOCK_TIMEOUT);
    }
}
