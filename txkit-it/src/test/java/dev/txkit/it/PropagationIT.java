package dev.txkit.it;

import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.Propagation;
import dev.txkit.Savepoint;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.testing.DbKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static dev.txkit.it.TransactionIT.assertCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Savepoints and the five propagation modes on every database. */
class PropagationIT extends DbIT {
    private static final TxOptions NESTED = TxOptions.defaults().withPropagation(Propagation.NESTED);
    private static final TxOptions REQUIRES_NEW = TxOptions.defaults().withPropagation(Propagation.REQUIRES_NEW);

    @BeforeEach
    void tables() {
        for (DbKind kind : available(DbKind.values())) {
            schema(kind).execute("DROP TABLE IF EXISTS item", "CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(50))",
                    "DROP TABLE IF EXISTS audit", "CREATE TABLE audit (id INT PRIMARY KEY, note VARCHAR(50))");
        }
    }

    private List<Integer> ids(DbKind kind) {
        return db(kind).sql("SELECT id FROM item ORDER BY id").list(Integer.class);
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void rollbackToSavepointUndoesOnlyWhatCameAfterIt(DbKind kind) {
        db(kind).useTransaction(tx -> {
            tx.sql("INSERT INTO item VALUES (1, 'a')").update();
            Savepoint sp = tx.savepoint();
            tx.sql("INSERT INTO item VALUES (2, 'b')").update();
            tx.rollbackTo(sp);
            tx.sql("INSERT INTO item VALUES (3, 'c')").update();
            tx.release(sp);
        });
        assertThat(ids(kind)).containsExactly(1, 3);
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void savepointNamesAreUniqueEvenForSiblingNestedScopes(DbKind kind) {
        List<String> names = new ArrayList<>();
        db(kind).useTransaction(tx -> {
            names.add(tx.savepoint().name());
            db(kind).useTransaction(NESTED, inner -> names.add(inner.savepoint().name()));
            db(kind).useTransaction(NESTED, inner -> {
                names.add(inner.savepoint().name());
                db(kind).useTransaction(NESTED, deeper -> names.add(deeper.savepoint().name()));
            });
            names.add(tx.savepoint().name());
        });
        assertThat(names).hasSize(5).doesNotHaveDuplicates();
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void requiredJoinsTheOuterTransaction(DbKind kind) {
        Database db = db(kind);
        assertThatThrownBy(() -> db.useTransaction(outer -> {
            outer.sql("INSERT INTO item VALUES (1, 'outer')").update();
            db.useTransaction(inner -> {
                assertThat(inner.sql("SELECT COUNT(*) FROM item").one(Long.class)).as("sees outer's write").isEqualTo(1L);
                inner.sql("INSERT INTO item VALUES (2, 'inner')").update();
            });
            throw new IllegalStateException("outer fails after inner returned");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(ids(kind)).as("inner work rolled back with the outer").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void failedJoinedScopeMakesTheOuterCommitFailInsteadOfCommittingHalfTheWork(DbKind kind) {
        Database db = db(kind);
        assertThatThrownBy(() -> db.useTransaction(outer -> {
            outer.sql("INSERT INTO item VALUES (1, 'outer')").update();
            try {
                db.useTransaction(inner -> {
                    inner.sql("INSERT INTO item VALUES (2, 'inner')").update();
                    throw new IllegalArgumentException("inner fails");
                });
            } catch (IllegalArgumentException swallowed) {
                // the caller carries on as if nothing happened
            }
        })).isInstanceOfSatisfying(TxkitException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ROLLBACK_ONLY));
        assertThat(ids(kind)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void nestedFailureRollsBackOnlyTheInnerPart(DbKind kind) {
        Database db = db(kind);
        db.useTransaction(outer -> {
            outer.sql("INSERT INTO item VALUES (1, 'outer')").update();
            assertThatThrownBy(() -> db.useTransaction(NESTED, inner -> {
                inner.sql("INSERT INTO item VALUES (2, 'inner')").update();
                inner.sql("INSERT INTO item VALUES (1, 'duplicate')").update();
            })).isInstanceOfSatisfying(TxkitException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNIQUE_VIOLATION));
            outer.sql("INSERT INTO item VALUES (3, 'after')").update();
        });
        assertThat(ids(kind)).containsExactly(1, 3);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB", "H2"})
    void requiresNewCommitsIndependently(DbKind kind) {
        Database db = db(kind);
        assertThatThrownBy(() -> db.useTransaction(outer -> {
            outer.sql("INSERT INTO item VALUES (1, 'outer')").update();
            db.useTransaction(REQUIRES_NEW, audit -> {
                assertThat(audit.sql("SELECT COUNT(*) FROM item").one(Long.class))
                        .as("its own connection does not see outer's uncommitted row").isZero();
                audit.sql("INSERT INTO audit VALUES (1, 'attempted')").update();
            });
            throw new IllegalStateException("outer fails");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(ids(kind)).isEmpty();
        assertThat(db.sql("SELECT note FROM audit").list(String.class)).containsExactly("attempted");
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void mandatoryWithoutTransactionAndNeverInsideOneFailWithMisuse(DbKind kind) {
        Database db = db(kind);
        assertCode(() -> db.useTransaction(TxOptions.defaults().withPropagation(Propagation.MANDATORY),
                tx -> tx.sql("INSERT INTO item VALUES (1, 'a')").update()), ErrorCode.MISUSE);
        assertCode(() -> db.useTransaction(outer -> {
            outer.sql("INSERT INTO item VALUES (2, 'b')").update();
            db.useTransaction(TxOptions.defaults().withPropagation(Propagation.NEVER),
                    tx -> tx.sql("INSERT INTO item VALUES (3, 'c')").update());
        }), ErrorCode.MISUSE);
        assertThat(ids(kind)).isEmpty();
        // and the legal cases work
        db.useTransaction(outer -> db.useTransaction(TxOptions.defaults().withPropagation(Propagation.MANDATORY),
                tx -> tx.sql("INSERT INTO item VALUES (4, 'd')").update()));
        db.useTransaction(TxOptions.defaults().withPropagation(Propagation.NEVER),
                tx -> tx.sql("INSERT INTO item VALUES (5, 'e')").update());
        assertThat(ids(kind)).containsExactly(4, 5);
    }
}
