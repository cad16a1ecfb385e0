package dev.txkit.it;

import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.Propagation;
import dev.txkit.Transaction;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.testing.DbKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code Transaction.setRollbackOnly()}: a marked transaction never commits, and the caller is told. */
class RollbackOnlyIT extends DbIT {
    private static final TxOptions NESTED = TxOptions.defaults().withPropagation(Propagation.NESTED);

    @BeforeEach
    void table() {
        for (DbKind kind : available(DbKind.POSTGRES, DbKind.MARIADB)) {
            schema(kind).execute("DROP TABLE IF EXISTS item", "CREATE TABLE item (id INT PRIMARY KEY)");
        }
    }

    private long rows(DbKind kind) {
        return db(kind).sql("SELECT COUNT(*) FROM item").one(Long.class);
    }

    private static void rollbackOnly(Throwable e) {
        assertThat(e).isInstanceOfSatisfying(TxkitException.class, x -> {
            assertThat(x.code()).isEqualTo(ErrorCode.ROLLBACK_ONLY);
            assertThat(x.getMessage()).contains("setRollbackOnly() was called");
        });
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void aJoinedScopeMarksTheOuterTransactionWhoseCommitThenFails(DbKind kind) {
        Database db = db(kind);
        assertThatThrownBy(() -> db.useTransaction(tx -> {
            tx.sql("INSERT INTO item VALUES (1)").update();
            db.useTransaction(inner -> {
                inner.sql("INSERT INTO item VALUES (2)").update();
                inner.setRollbackOnly();
                assertThat(inner.isRollbackOnly()).isTrue();
            });
            assertThat(tx.isRollbackOnly()).as("the joined scope marked the physical transaction").isTrue();
        })).satisfies(RollbackOnlyIT::rollbackOnly);
        assertThat(rows(kind)).as("both writes rolled back").isZero();
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void aManualTransactionMarkedRollbackOnlyRefusesToCommit(DbKind kind) {
        Database db = db(kind);
        try (Transaction tx = db.begin()) {
            tx.sql("INSERT INTO item VALUES (1)").update();
            assertThat(tx.isRollbackOnly()).isFalse();
            tx.setRollbackOnly();
            assertThatThrownBy(tx::commit).satisfies(RollbackOnlyIT::rollbackOnly);
            assertThat(tx.isActive()).isFalse();
        }
        assertThat(rows(kind)).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void aNestedScopeMarkedRollbackOnlyUndoesOnlyItself(DbKind kind) {
        Database db = db(kind);
        db.useTransaction(tx -> {
            tx.sql("INSERT INTO item VALUES (1)").update();
            assertThatThrownBy(() -> db.useTransaction(NESTED, inner -> {
                inner.sql("INSERT INTO item VALUES (2)").update();
                inner.setRollbackOnly();
            })).isInstanceOfSatisfying(TxkitException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ROLLBACK_ONLY));
            assertThat(tx.isRollbackOnly()).as("the outer transaction is not marked").isFalse();
        });
        assertThat(db.sql("SELECT id FROM item").list(Integer.class)).containsExactly(1);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES"})
    void setRollbackOnlyAfterTheEndIsClosed(DbKind kind) {
        Transaction[] escaped = new Transaction[1];
        db(kind).useTransaction(tx -> escaped[0] = tx);
        assertThatThrownBy(escaped[0]::setRollbackOnly)
                .isInstanceOfSatisfying(TxkitException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CLOSED));
    }
}
