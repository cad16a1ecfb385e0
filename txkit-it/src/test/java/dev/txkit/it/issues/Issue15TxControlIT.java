package dev.txkit.it.issues;

import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.it.DbIT;
import dev.txkit.testing.DbKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.txkit.it.issues.Issue15.failsWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 15 "also document": {@code tx.sql("commit")} used to commit behind txkit's back (the rest of
 * the callback then ran in autocommit and survived a later failure). Transaction-control statements
 * are refused with MISUSE naming the method; nothing is sent.
 */
class Issue15TxControlIT extends DbIT {

    @BeforeEach
    void table() {
        for (DbKind kind : available(DbKind.values())) {
            schema(kind).execute("DROP TABLE IF EXISTS item", "CREATE TABLE item (id INT PRIMARY KEY)");
        }
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void commitSentAsSqlIsRefusedAndTheTransactionStillRollsBackAsAWhole(DbKind kind) {
        Database db = db(kind);
        assertThatThrownBy(() -> db.useTransaction(tx -> {
            tx.sql("INSERT INTO item VALUES (1)").update();
            var e = failsWith(ErrorCode.MISUSE, () -> tx.sql("  /* done */ COMMIT").update());
            assertThat(e.getMessage()).contains("tx.commit()");
            failsWith(ErrorCode.MISUSE, () -> db.sql("rollback").update());
            failsWith(ErrorCode.MISUSE, () -> tx.sql("SAVEPOINT s").update());
            failsWith(ErrorCode.MISUSE, () -> tx.sql("set autocommit = 1").update());
            tx.sql("INSERT INTO item VALUES (2)").update();
            throw new IllegalStateException("the callback fails after the refused COMMIT");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(db.sql("SELECT count(*) FROM item").one(Integer.class)).as("nothing committed behind txkit's back").isZero();
        failsWith(ErrorCode.MISUSE, () -> db.sql("BEGIN").update());
        failsWith(ErrorCode.MISUSE, () -> db.sql("start transaction").update());
    }
}
