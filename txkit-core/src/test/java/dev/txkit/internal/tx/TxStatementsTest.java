package dev.txkit.internal.tx;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which statements hold their rows' exclusive locks once they have returned: where an attempt at 1 lets the next one in. */
class TxStatementsTest {
    @Test
    void writesAndPlainLockingReadsLetTheNextAttemptIn() {
        assertThat(TxStatements.writes("UPDATE wallet SET balance = ? WHERE id = ?")).isTrue();
        assertThat(TxStatements.writes("  update wallet set balance = 1")).isTrue();
        assertThat(TxStatements.writes("\n\tINSERT INTO ledger VALUES (?, ?)")).isTrue();
        assertThat(TxStatements.writes("delete from ledger where id = 1")).isTrue();
        assertThat(TxStatements.writes("REPLACE INTO t VALUES (1)")).isTrue();
        assertThat(TxStatements.writes("MERGE INTO t KEY (id) VALUES (1)")).isTrue();
        assertThat(TxStatements.writes("SELECT balance FROM wallet WHERE id = ? FOR UPDATE")).isTrue();
        assertThat(TxStatements.writes("select balance from wallet where id = ? for update ;")).isTrue();
        assertThat(TxStatements.writes("(SELECT 1) FOR UPDATE")).isTrue();
    }

    @Test
    void readsAndQueueReadsDoNot() {
        assertThat(TxStatements.writes("SELECT balance FROM wallet WHERE id = ?")).isFalse();
        assertThat(TxStatements.writes("SELECT balance FROM wallet WHERE id = ? LOCK IN SHARE MODE")).isFalse();
        // the next attempt would not queue behind these: it fails at once or skips the row
        assertThat(TxStatements.writes("SELECT id FROM jobs FOR UPDATE NOWAIT")).isFalse();
        assertThat(TxStatements.writes("SELECT id FROM jobs LIMIT 1 FOR UPDATE SKIP LOCKED")).isFalse();
        // words that only start like a write
        assertThat(TxStatements.writes("UPDATED_AT")).isFalse();
        assertThat(TxStatements.writes("SELECT updated FROM t")).isFalse();
        assertThat(TxStatements.writes("SELECT 1 AS xFOR UPDATE")).isFalse();
        assertThat(TxStatements.writes("")).isFalse();
        assertThat(TxStatements.writes("FOR UPDATE")).isFalse();
    }
}
