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

import static dev.txkit.it.TransactionIT.assertCode;
import static dev.txkit.it.TransactionIT.committedRows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code commit()} and {@code rollback()} on a scope that joined an outer transaction do what the
 * {@code Transaction} Javadoc says (issue 9): commit fails with MISUSE at the call and commits nothing,
 * rollback marks the whole outer transaction rollback-only; a NESTED scope's own savepoint is what they
 * end.
 */
class JoinedScopeIT extends DbIT {
    private static final TxOptions REQUIRED = TxOptions.defaults().withPropagation(Propagation.REQUIRED);
    private static final TxOptions MANDATORY = TxOptions.defaults().withPropagation(Propagation.MANDATORY);
    private static final TxOptions NESTED = TxOptions.defaults().withPropagation(Propagation.NESTED);

    @BeforeEach
    void freshTable() {
        for (DbKind kind : available(DbKind.POSTGRES, DbKind.MARIADB)) {
            schema(kind).execute("DROP TABLE IF EXISTS item", "CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(50))");
        }
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void commitOnAJoinedScopeFailsWithMisuseAndCommitsNothing(DbKind kind) {
        Database db = db(kind);
        db.useTransaction(outer -> {
            outer.sql("INSERT INTO item VALUES (1, 'outer')").update();
            for (TxOptions joined : new TxOptions[]{REQUIRED, MANDATORY}) {
                db.useTransaction(joined, inner -> {
                    inner.sql("INSERT INTO item VALUES (?, 'inner')", joined == REQUIRED ? 2 : 3).update();
                    assertThatThrownBy(inner::commit).isInstanceOfSatisfying(TxkitException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.MISUSE);
                        assertThat(e.getMessage()).contains("would commit nothing");
                    });
                    assertThat(inner.isActive()).as("the scope stays open").isTrue();
                });
            }
            Transaction begun = db.begin(); // REQUIRED inside a scope joins too (left open: closing it rolls back)
            assertCode(begun::commit, ErrorCode.MISUSE);
            assertThat(committedRows(this, kind)).as("nothing committed at the call").isZero();
        });
        assertThat(committedRows(this, kind)).as("the outer transaction committed all of it").isEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void rollbackOnAJoinedScopeMarksTheOuterTransactionRollbackOnly(DbKind kind) {
        Database db = db(kind);
        assertThatThrownBy(() -> db.useTransaction(outer -> {
            outer.sql("INSERT INTO item VALUES (1, 'outer')").update();
            db.useTransaction(REQUIRED, inner -> {
                inner.sql("INSERT INTO item VALUES (2, 'inner')").update();
                inner.rollback();
                assertThat(inner.isActive()).as("the scope has ended").isFalse();
                assertCode(() -> inner.sql("SELECT 1").list(Integer.class), ErrorCode.CLOSED);
            });
            assertThat(outer.isActive()).as("the outer transaction runs on until its end").isTrue();
        })).isInstanceOfSatisfying(TxkitException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.ROLLBACK_ONLY);
            assertThat(e.getMessage()).contains("rolled back instead of committed");
        });
        assertThat(committedRows(this, kind)).as("nothing of the outer transaction was written").isZero();
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void commitAndRollbackOfANestedScopeEndOnlyItsSavepoint(DbKind kind) {
        Database db = db(kind);
        db.useTransaction(outer -> {
            outer.sql("INSERT INTO item VALUES (1, 'outer')").update();
            db.useTransaction(NESTED, kept -> {
                kept.sql("INSERT INTO item VALUES (2, 'kept')").update();
                kept.commit();
                assertThat(kept.isActive()).isFalse();
            });
            db.useTransaction(NESTED, undone -> {
                undone.sql("INSERT INTO item VALUES (3, 'undone')").update();
                undone.rollback();
            });
        });
        assertThat(committedRows(this, kind)).isEqualTo(2);
        assertThat(db.sql("SELECT name FROM item ORDER BY id").list(String.class)).containsExactly("outer", "kept");
    }
}
