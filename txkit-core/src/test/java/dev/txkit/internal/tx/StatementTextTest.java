package dev.txkit.internal.tx;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which statements hold their rows' exclusive locks once they have returned: where an attempt at 1 lets the next one in. */
class StatementTextTest {
    @Test
    void writesAndPlainLockingReadsLetTheNextAttemptIn() {
        assertThat(StatementText.writes("UPDATE wallet SET balance = ? WHERE id = ?")).isTrue();
        assertThat(StatementText.writes("  update wallet set balance = 1")).isTrue();
        assertThat(StatementText.writes("\n\tINSERT INTO ledger VALUES (?, ?)")).isTrue();
        assertThat(StatementText.writes("delete from ledger where id = 1")).isTrue();
        assertThat(StatementText.writes("REPLACE INTO t VALUES (1)")).isTrue();
        assertThat(StatementText.writes("MERGE INTO t KEY (id) VALUES (1)")).isTrue();
        assertThat(StatementText.writes("SELECT balance FROM wallet WHERE id = ? FOR UPDATE")).isTrue();
        assertThat(StatementText.writes("select balance from wallet where id = ? for update ;")).isTrue();
        assertThat(StatementText.writes("(SELECT 1) FOR UPDATE")).isTrue();
    }

    @Test
    void readsAndQueueReadsDoNot() {
        assertThat(StatementText.writes("SELECT balance FROM wallet WHERE id = ?")).isFalse();
        assertThat(StatementText.writes("SELECT balance FROM wallet WHERE id = ? LOCK IN SHARE MODE")).isFalse();
        // the next attempt would not queue behind these: it fails at once or skips the row
        assertThat(StatementText.writes("SELECT id FROM jobs FOR UPDATE NOWAIT")).isFalse();
        assertThat(StatementText.writes("SELECT id FROM jobs LIMIT 1 FOR UPDATE SKIP LOCKED")).isFalse();
        // words that only start like a write
        assertThat(StatementText.writes("UPDATED_AT")).isFalse();
        assertThat(StatementText.writes("SELECT updated FROM t")).isFalse();
        assertThat(StatementText.writes("SELECT 1 AS xFOR UPDATE")).isFalse();
        assertThat(StatementText.writes("")).isFalse();
        assertThat(StatementText.writes("FOR UPDATE")).isFalse();
    }

    @Test
    void plainSelectsOfAContendedKeyAreSentAsLockingReadsAndOthersUnchanged() {
        for (String sql : new String[] {"SELECT balance FROM wallet WHERE id = ?", "  select count(*) from t",
                "SELECT * FROM (SELECT id FROM t) x WHERE id IN (SELECT id FROM u) ORDER BY id LIMIT 1",
                "SELECT format FROM t", "SELECT forward, lockout FROM t"}) {
            assertThat(StatementText.plainSelect(sql)).as(sql).isTrue();
        }
        for (String sql : new String[] {"SELECT balance FROM wallet WHERE id = ? FOR UPDATE",
                "SELECT balance FROM wallet LOCK IN SHARE MODE", "SELECT id FROM jobs FOR UPDATE SKIP LOCKED",
                "SELECT a FROM t UNION SELECT a FROM u", "SELECT a FROM t EXCEPT SELECT a FROM u",
                "SELECT a INTO @x FROM t", "SELECT a FROM t -- trailing comment", "SELECT a FROM t # comment",
                "SELECT /* hint */ a FROM t", "SELECT 1; DELETE FROM t", "SELECT 'for' FROM t",
                "WITH x AS (SELECT 1) SELECT * FROM x", "UPDATE t SET a = 1", "SHOW TABLES", ""}) {
            assertThat(StatementText.plainSelect(sql)).as(sql).isFalse();
        }
    }
}
