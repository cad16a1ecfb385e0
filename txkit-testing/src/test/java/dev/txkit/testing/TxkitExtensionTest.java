package dev.txkit.testing;

import dev.txkit.Database;
import dev.txkit.Propagation;
import dev.txkit.Transaction;
import dev.txkit.TxOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Runs sample test classes through the real Jupiter engine and checks what the extension made of
 * them: writes rolled back after each test, {@link NoRollback} commits and cleans up, a leak fails
 * the test that caused it. (The samples are nested classes, which Surefire does not run by itself.)
 */
class TxkitExtensionTest {

    static long committedRows(TestDatabase database) {
        try (Connection c = database.unpooledDataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM item")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    /** Lets the samples run only when started by {@link #run(Class)}, never directly by Surefire or an IDE. */
    static final class OnlyFromTestKit implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(SAMPLES).isPresent()
                    ? ConditionEvaluationResult.enabled("run by TxkitExtensionTest")
                    : ConditionEvaluationResult.disabled("a sample for TxkitExtensionTest");
        }
    }

    private static final String SAMPLES = "txkit.extension.samples";

    static Events run(Class<?> sample) {
        return EngineTestKit.engine("junit-jupiter").configurationParameter(SAMPLES, "true")
                .selectors(selectClass(sample)).execute().testEvents();
    }

    @ExtendWith(OnlyFromTestKit.class)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class RollbackSample {
        @RegisterExtension
        static final TxkitExtension TXKIT = TxkitExtension.on(DbKind.H2)
                .setup("CREATE TABLE item (id INT PRIMARY KEY)")
                .cleanUp("DELETE FROM item");

        @Test
        @Order(1)
        void writesInsideTheTestTransaction(Database db, TestDatabase database) {
            db.sql("INSERT INTO item VALUES (1)").update();
            db.useTransaction(tx -> tx.sql("INSERT INTO item VALUES (2)").update()); // joins, commit is a no-op
            assertThat(db.sql("SELECT COUNT(*) FROM item").one(Long.class)).isEqualTo(2);
            assertThat(committedRows(database)).as("nothing committed").isZero();
        }

        @Test
        @Order(2)
        void seesNothingOfThePreviousTest(Database db) {
            assertThat(db.sql("SELECT COUNT(*) FROM item").one(Long.class)).isZero();
            assertThat(db.inScope()).as("the test runs inside the extension's transaction").isTrue();
        }

        @Test
        @Order(3)
        @NoRollback
        void noRollbackCommits(Database db, TestDatabase database) {
            assertThat(db.inScope()).isFalse();
            db.sql("INSERT INTO item VALUES (3)").update();
            assertThat(committedRows(database)).isEqualTo(1);
        }

        @Test
        @Order(4)
        void cleanUpRanAfterTheNoRollbackTest() {
            assertThat(committedRows(TXKIT.testDatabase())).isZero();
        }
    }

    @Test
    void eachTestsWritesAreRolledBack() {
        Events tests = run(RollbackSample.class);
        tests.assertStatistics(s -> s.started(4).succeeded(4).failed(0));
    }

    @ExtendWith(OnlyFromTestKit.class)
    static class LeakSample {
        @RegisterExtension
        static final TxkitExtension TXKIT = TxkitExtension.on(DbKind.H2);
        static Transaction leaked;

        @Test
        void forgetsToCloseATransaction(Database db) {
            leaked = db.begin(TxOptions.defaults().withPropagation(Propagation.REQUIRES_NEW));
            leaked.sql("SELECT 1").one(Integer.class);
        }

        @AfterAll
        static void closeIt() {
            if (leaked != null) {
                leaked.close();
            }
        }
    }

    @Test
    void aTestThatLeaksATransactionFails() {
        Events tests = run(LeakSample.class);
        tests.assertStatistics(s -> s.started(1).failed(1));
        Throwable failure = tests.failed().stream().findFirst().orElseThrow()
                .getRequiredPayload(org.junit.platform.engine.TestExecutionResult.class).getThrowable().orElseThrow();
        assertThat(failure).isInstanceOf(AssertionError.class).hasMessageContaining("leak check failed")
                .hasMessageContaining("still open").hasMessageContaining("bound to this thread");
    }
}
