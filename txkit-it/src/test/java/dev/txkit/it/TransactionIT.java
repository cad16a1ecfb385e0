package dev.txkit.it;

import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.Transaction;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.testing.DbKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Commit, rollback, manual transactions, sequential form and hooks on every database. */
class TransactionIT extends DbIT {

    @BeforeEach
    void freshTable() {
        for (DbKind kind : available(DbKind.values())) {
            schema(kind).execute("DROP TABLE IF EXISTS item", "CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(50))");
        }
    }

    /** Counts rows through a connection that is not txkit's, so only committed data is seen. */
    static int committedRows(DbIT it, DbKind kind) {
        try (Connection c = it.schema(kind).unpooledDataSource().getConnection();
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM item")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void commitMakesWritesVisible(DbKind kind) {
        Database db = db(kind);
        int updated = db.inTransaction(tx -> tx.sql("INSERT INTO item VALUES (?, ?)", 1, "a").update());
        assertThat(updated).isEqualTo(1);
        assertThat(committedRows(this, kind)).isEqualTo(1);
        assertThat(db.sql("SELECT name FROM item WHERE id = ?", 1).one(String.class)).isEqualTo("a");
    }

    static final class Boom extends Exception {
        Boom() {
            super("boom");
        }
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void callbackExceptionRollsBackAndIsRethrownUnchanged(DbKind kind) {
        Database db = db(kind);
        Boom boom = new Boom();
        assertThatThrownBy(() -> db.useTransaction(tx -> {
            tx.sql("INSERT INTO item VALUES (?, ?)", 1, "a").update();
            throw boom;
        })).isSameAs(boom);
        IOException io = new IOException("io");
        assertThatThrownBy(() -> db.inTransaction(tx -> {
            tx.sql("INSERT INTO item VALUES (?, ?)", 2, "b").update();
            throw io;
        })).isSameAs(io);
        assertThat(committedRows(this, kind)).isZero();
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void failingRollbackIsAttachedAsSuppressed(DbKind kind) {
        Database faulty = watch(Database.create(FaultyDataSource.failingRollback(schema(kind).newPool(2))));
        Boom boom = new Boom();
        assertThatThrownBy(() -> faulty.useTransaction(tx -> {
            tx.sql("INSERT INTO item VALUES (?, ?)", 1, "a").update();
            throw boom;
        })).isSameAs(boom);
        assertThat(boom.getSuppressed()).anySatisfy(s -> assertThat(s).hasMessageContaining("injected rollback failure"));
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void manualTransactionWithoutCommitRollsBack(DbKind kind) {
        Database db = db(kind);
        try (Transaction tx = db.begin()) {
            tx.sql("INSERT INTO item VALUES (?, ?)", 1, "a").update();
            assertThat(db.sql("SELECT COUNT(*) FROM item").one(Long.class)).as("ambient read joins").isEqualTo(1L);
        }
        assertThat(committedRows(this, kind)).isZero();
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void anyUseAfterTheEndFailsWithClosed(DbKind kind) {
        Database db = db(kind);
        Transaction tx = db.begin();
        tx.sql("INSERT INTO item VALUES (?, ?)", 1, "a").update();
        tx.commit();
        assertThat(committedRows(this, kind)).isEqualTo(1);
        assertCode(() -> tx.sql("SELECT 1").list(Integer.class), ErrorCode.CLOSED);
        assertCode(tx::commit, ErrorCode.CLOSED);
        assertCode(tx::rollback, ErrorCode.CLOSED);
        assertCode(tx::savepoint, ErrorCode.CLOSED);
        assertCode(() -> tx.afterCommit(() -> { }), ErrorCode.CLOSED);
        assertCode(tx::connection, ErrorCode.CLOSED);
        tx.close(); // closing an ended transaction is allowed (try-with-resources)

        Transaction rolledBack = db.begin();
        rolledBack.rollback();
        assertCode(() -> rolledBack.sql("SELECT 1").update(), ErrorCode.CLOSED);
        assertCode(rolledBack::commit, ErrorCode.CLOSED);
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void sequentialFormRunsStepsInOrderAllOrNothing(DbKind kind) {
        Database db = db(kind);
        List<Object> results = db.inSequence(
                tx -> tx.sql("INSERT INTO item VALUES (?, ?)", 1, "a").update(),
                tx -> tx.sql("INSERT INTO item VALUES (?, ?)", 2, "b").update(),
                tx -> tx.sql("SELECT name FROM item ORDER BY id").list(String.class));
        assertThat(results).containsExactly(1, 1, List.of("a", "b"));

        assertCode(() -> db.inSequence(
                tx -> tx.sql("INSERT INTO item VALUES (?, ?)", 3, "c").update(),
                tx -> tx.sql("INSERT INTO item VALUES (?, ?)", 1, "duplicate").update()), ErrorCode.UNIQUE_VIOLATION);
        assertThat(committedRows(this, kind)).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void afterCommitHooksRunOnceAfterCommitAndNeverAfterRollback(DbKind kind) {
        Database db = db(kind);
        List<String> events = new ArrayList<>();
        db.useTransaction(tx -> {
            tx.afterCommit(() -> events.add("commit-1"));
            tx.afterRollback(() -> events.add("rollback-1"));
            tx.sql("INSERT INTO item VALUES (?, ?)", 1, "a").update();
            assertThat(events).as("nothing runs before the commit").isEmpty();
        });
        assertThat(events).containsExactly("commit-1");

        events.clear();
        assertThatThrownBy(() -> db.useTransaction(tx -> {
            tx.afterCommit(() -> events.add("commit-2"));
            tx.afterRollback(() -> events.add("rollback-2"));
            throw new IllegalStateException("fail");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(events).containsExactly("rollback-2");

        events.clear();
        try (Transaction tx = db.begin()) {
            tx.afterCommit(() -> events.add("manual-commit"));
            tx.commit();
        }
        assertThat(events).containsExactly("manual-commit");
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void failingHookDoesNotUndoTheCommitAndIsReported(DbKind kind) {
        List<String> problems = new ArrayList<>();
        Database db = watch(Database.builder(schema(kind).newPool(2))
                .listener(new dev.txkit.spi.TxListener() {
                    @Override
                    public void problem(String description, Throwable failure) {
                        problems.add(description + " / " + failure.getMessage());
                    }
                }).build());
        List<String> ran = new ArrayList<>();
        db.useTransaction(tx -> {
            tx.sql("INSERT INTO item VALUES (?, ?)", 1, "a").update();
            tx.afterCommit(() -> {
                throw new IllegalStateException("hook exploded");
            });
            tx.afterCommit(() -> ran.add("second hook"));
        });
        assertThat(committedRows(this, kind)).isEqualTo(1);
        assertThat(ran).containsExactly("second hook");
        assertThat(problems).singleElement().asString().contains("afterCommit").contains("hook exploded");
    }

    static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(TxkitException.class, e -> assertThat(e.code())
                .as(e.getMessage()).isEqualTo(code));
    }
}
