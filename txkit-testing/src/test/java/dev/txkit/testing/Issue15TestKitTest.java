package dev.txkit.testing;

import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.Events;

import java.util.Map;

import static dev.txkit.testing.TxkitExtensionTest.committedRows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 15 item 12: the README's race pattern is isolated — a race in a rolled-back test (whose
 * actors commit for real) fails with a message saying what to do, the documented
 * {@code @NoRollback} + {@code cleanUp} form leaves nothing for the next test — and the PostgreSQL
 * server is taken from configuration instead of a hard-coded address.
 */
class Issue15TestKitTest {

    /** Claims item 1 for {@code who} unless someone has: the "book a seat" of the README, in plain SQL. */
    static int claim(Database db, Interleaving.Turn t, String who) {
        return db.inTransaction(tx -> {
            t.step("find");
            tx.sql("SELECT COUNT(*) FROM item WHERE id = 1 AND owner IS NULL").one(Long.class);
            t.step("claim");
            int claimed = tx.sql("UPDATE item SET owner = ? WHERE id = 1 AND owner IS NULL", who).update();
            if (claimed == 0) {
                throw TxkitException.of(ErrorCode.OPTIMISTIC_CONFLICT, "taken");
            }
            return claimed;
        });
    }

    static Interleaving.Result race(Database db) {
        return Race.interleave().actor("A", t -> claim(db, t, "A")).actor("B", t -> claim(db, t, "B"))
                .order("A.find", "B.find", "A.claim", "B.claim").run();
    }

    @ExtendWith(TxkitExtensionTest.OnlyFromTestKit.class)
    static class RaceInARolledBackTestSample {
        @RegisterExtension
        static final TxkitExtension TXKIT = TxkitExtension.on(DbKind.H2)
                .setup("CREATE TABLE item (id INT PRIMARY KEY, owner VARCHAR(10))", "INSERT INTO item VALUES (1, NULL)")
                .cleanUp("UPDATE item SET owner = NULL");

        @Test
        void racesInsideTheRolledBackTransaction(Database db) {
            race(db);
        }
    }

    @ExtendWith(TxkitExtensionTest.OnlyFromTestKit.class)
    static class RaceWithoutCleanUpSample {
        @RegisterExtension
        static final TxkitExtension TXKIT = TxkitExtension.on(DbKind.H2)
                .setup("CREATE TABLE item (id INT PRIMARY KEY, owner VARCHAR(10))", "INSERT INTO item VALUES (1, NULL)");

        @Test
        @NoRollback
        void racesButNothingCleansUp(Database db) {
            race(db);
        }
    }

    @ExtendWith(TxkitExtensionTest.OnlyFromTestKit.class)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class ReadmePatternSample {
        @RegisterExtension
        static final TxkitExtension TXKIT = TxkitExtension.on(DbKind.H2)
                .setup("CREATE TABLE item (id INT PRIMARY KEY, owner VARCHAR(10))")
                .cleanUp("DELETE FROM item");

        @Test
        @Order(1)
        @NoRollback
        void bookingTwiceConflicts(Database db) {
            db.sql("INSERT INTO item VALUES (1, NULL)").update(); // committed: the actors see it
            Interleaving.Result r = race(db);
            assertThat(r.value("A")).isEqualTo(1);
            assertThat(((TxkitException) r.failure("B")).code()).isEqualTo(ErrorCode.OPTIMISTIC_CONFLICT);
        }

        @Test
        @Order(2)
        void theNextTestStartsClean() {
            assertThat(committedRows(TXKIT.testDatabase())).as("the actors' commit was cleaned up").isZero();
        }
    }

    private static Throwable onlyFailure(Events tests) {
        return tests.failed().stream().findFirst().orElseThrow()
                .getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow();
    }

    @Test
    void aRaceInARolledBackTestFailsSayingWhatToDo() {
        Events tests = TxkitExtensionTest.run(RaceInARolledBackTestSample.class);
        tests.assertStatistics(s -> s.started(1).failed(1));
        assertThat(onlyFailure(tests)).hasMessageContaining("committed for real").hasMessageContaining("@NoRollback")
                .hasMessageContaining("cleanUp(");
    }

    @Test
    void aNoRollbackRaceWithoutCleanUpFails() {
        Events tests = TxkitExtensionTest.run(RaceWithoutCleanUpSample.class);
        tests.assertStatistics(s -> s.started(1).failed(1));
        assertThat(onlyFailure(tests)).hasMessageContaining("no cleanUp(...) statements");
    }

    @Test
    void theDocumentedPatternIsIsolated() {
        Events tests = TxkitExtensionTest.run(ReadmePatternSample.class);
        tests.assertStatistics(s -> s.started(2).succeeded(2).failed(0));
    }

    @Test
    void thePostgresServerComesFromConfiguration() {
        // "localhost" instead of the built-in 127.0.0.1 shows the configured URL is the one used
        Map<String, String> settings = Map.of("txkit.postgres.url", "jdbc:postgresql://localhost:5432/test",
                "txkit.postgres.user", "postgres");
        PostgresServer pg = PostgresServer.resolve((property, env) -> settings.getOrDefault(property, ""));
        assertThat(pg.adminUrl).isEqualTo("jdbc:postgresql://localhost:5432/test");
        assertThat(pg.user).isEqualTo("postgres");
        Map<String, String> unreachable = Map.of("txkit.postgres.url", "jdbc:postgresql://127.0.0.1:1/test");
        assertThatThrownBy(() -> PostgresServer.resolve((property, env) -> unreachable.getOrDefault(property, "")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("127.0.0.1:1")
                .hasMessageContaining("txkit.postgres.url");
    }
}
