package dev.txkit.dialect;

import dev.txkit.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransactionRollbackException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The classifier tables of every dialect, at statement time and at COMMIT, with exceptions built the
 * way the drivers build them (SQLSTATE, vendor code, cause chains, next-exception chains).
 */
class ClassifierTest {

    private static SQLException sql(String state, int vendor) {
        return new SQLException("driver text", state, vendor);
    }

    @ParameterizedTest(name = "PostgreSQL {0}: statement {1}, commit {2}")
    @CsvSource({
            "40001, CONFLICT,             CONFLICT",
            "40P01, DEADLOCK,             DEADLOCK",
            "55P03, LOCK_TIMEOUT,         LOCK_TIMEOUT",
            "57014, CANCELLED,            CANCELLED",      // pg_cancel_backend: not a timeout (issue 15)
            "23505, UNIQUE_VIOLATION,     UNIQUE_VIOLATION",
            "23503, CONSTRAINT_VIOLATION, CONSTRAINT_VIOLATION",
            "25P02, ROLLBACK_ONLY,        ROLLBACK_ONLY",
            "25006, READ_ONLY_VIOLATION,  READ_ONLY_VIOLATION",
            "57P01, CONNECTION_FAILURE,   COMMIT_UNKNOWN",
            "57P02, CONNECTION_FAILURE,   COMMIT_UNKNOWN",
            "08006, CONNECTION_FAILURE,   COMMIT_UNKNOWN",
            "08003, CONNECTION_FAILURE,   COMMIT_UNKNOWN",
            "08001, CONNECTION_FAILURE,   COMMIT_UNKNOWN",
            "42P01, SQL_ERROR,            SQL_ERROR",
    })
    void postgresTable(String state, ErrorCode atStatement, ErrorCode atCommit) {
        assertThat(Dialects.POSTGRES.classify(sql(state, 0), false)).isEqualTo(atStatement);
        assertThat(Dialects.POSTGRES.classify(sql(state, 0), true)).isEqualTo(atCommit);
    }

    @ParameterizedTest(name = "MariaDB {0}/{1}: statement {2}, commit {3}")
    @CsvSource({
            "1213, 40001, DEADLOCK,             CONFLICT",      // at COMMIT: Galera certification failure
            "1205, HY000, LOCK_TIMEOUT,         LOCK_TIMEOUT",
            "1020, HY000, CONFLICT,             CONFLICT",      // innodb_snapshot_isolation=ON
            "1181, HY000, CONFLICT,             CONFLICT",
            "1047, 08S01, CONNECTION_FAILURE,   COMMIT_UNKNOWN",// Galera node not ready
            "1180, HY000, CONNECTION_FAILURE,   COMMIT_UNKNOWN",// Galera node left the primary component in COMMIT
            "1927, 70100, CONNECTION_FAILURE,   COMMIT_UNKNOWN",
            "2013, HY000, CONNECTION_FAILURE,   COMMIT_UNKNOWN",
            "1062, 23000, UNIQUE_VIOLATION,     UNIQUE_VIOLATION",
            "1452, 23000, CONSTRAINT_VIOLATION, CONSTRAINT_VIOLATION",
            "1792, 25006, READ_ONLY_VIOLATION,  READ_ONLY_VIOLATION",
            "1969, 70100, TIMEOUT,              TIMEOUT",
            "1317, 70100, CANCELLED,            CANCELLED",     // KILL QUERY (issue 15)
            "1146, 42S02, SQL_ERROR,            SQL_ERROR",
    })
    void mariaDbTable(int vendor, String state, ErrorCode atStatement, ErrorCode atCommit) {
        assertThat(Dialects.MARIADB.classify(sql(state, vendor), false)).isEqualTo(atStatement);
        assertThat(Dialects.MARIADB.classify(sql(state, vendor), true)).isEqualTo(atCommit);
    }

    @Test
    void postgresStatementTimeoutStaysATimeoutButAnOutsideCancelIsCancelled() {
        assertThat(Dialects.POSTGRES.classify(new SQLException("ERROR: canceling statement due to statement timeout",
                "57014"), false)).isEqualTo(ErrorCode.TIMEOUT);
        assertThat(Dialects.POSTGRES.classify(new SQLException("ERROR: canceling statement due to user request",
                "57014"), false)).isEqualTo(ErrorCode.CANCELLED);
    }

    @Test
    void galeraCertificationFailureReportedOnlyAsSqlState40001AtCommitIsAConflict() {
        assertThat(Dialects.MARIADB.classify(new SQLTransactionRollbackException("cert", "40001", 0), true))
                .isEqualTo(ErrorCode.CONFLICT);
    }

    @ParameterizedTest(name = "SQLite {0}: {1}")
    @CsvSource({
            "5,    LOCK_TIMEOUT",      // SQLITE_BUSY
            "261,  LOCK_TIMEOUT",      // SQLITE_BUSY_RECOVERY
            "517,  CONFLICT",          // SQLITE_BUSY_SNAPSHOT
            "6,    LOCK_TIMEOUT",      // SQLITE_LOCKED
            "262,  LOCK_TIMEOUT",      // SQLITE_LOCKED_SHAREDCACHE
            "8,    READ_ONLY_VIOLATION",
            "9,    CANCELLED",
            "2067, UNIQUE_VIOLATION",
            "1555, UNIQUE_VIOLATION",
            "787,  CONSTRAINT_VIOLATION", // SQLITE_CONSTRAINT_FOREIGNKEY
            "1,    SQL_ERROR",
    })
    void sqliteTable(int vendor, ErrorCode expected) {
        assertThat(Dialects.SQLITE.classify(sql(null, vendor), false)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "H2 {0}/{1}: {2}")
    @CsvSource({
            "40001, 40001, DEADLOCK",
            "50200, HYT00, LOCK_TIMEOUT",
            "90131, 90131, CONFLICT",
            "57014, 57014, CANCELLED",
            "23505, 23505, UNIQUE_VIOLATION",
            "90097, 90097, READ_ONLY_VIOLATION",
            "42102, 42S02, SQL_ERROR",
    })
    void h2Table(int vendor, String state, ErrorCode expected) {
        assertThat(Dialects.H2.classify(sql(state, vendor), false)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "CockroachDB {0}: statement {1}, commit {2}")
    @CsvSource({
            "40001, CONFLICT,           CONFLICT",       // "restart transaction"
            "40003, COMMIT_UNKNOWN,     COMMIT_UNKNOWN", // statement completion unknown: ambiguous even mid-transaction
            "40P01, DEADLOCK,           DEADLOCK",
            "08006, CONNECTION_FAILURE, COMMIT_UNKNOWN",
            "23505, UNIQUE_VIOLATION,   UNIQUE_VIOLATION",
    })
    void cockroachTable(String state, ErrorCode atStatement, ErrorCode atCommit) {
        assertThat(Dialects.COCKROACH.classify(sql(state, 0), false)).isEqualTo(atStatement);
        assertThat(Dialects.COCKROACH.classify(sql(state, 0), true)).isEqualTo(atCommit);
    }

    @Test
    void batchUpdateExceptionIsClassifiedByItsNextException() {
        // PgJDBC reports a failed batch as "Batch entry 0 ... was aborted" and chains the real error.
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 UPDATE ... was aborted", null, 0,
                new int[]{-3});
        batch.setNextException(sql("40001", 0));
        assertThat(Dialects.POSTGRES.classify(batch, false)).isEqualTo(ErrorCode.CONFLICT);
        assertThat(Dialects.POSTGRES.classify(batch, true)).isEqualTo(ErrorCode.CONFLICT);
        assertThat(Dialects.COCKROACH.classify(batch, false)).isEqualTo(ErrorCode.CONFLICT);
        assertThat(new GenericDialect("x").classify(batch, false)).isEqualTo(ErrorCode.CONFLICT);

        BatchUpdateException maria = new BatchUpdateException("batch failed", "HY000", 0, new int[]{-3});
        maria.setNextException(sql("40001", 1213));
        assertThat(Dialects.MARIADB.classify(maria, false)).isEqualTo(ErrorCode.DEADLOCK);
    }

    @Test
    void causeChainIsWalkedToTheDatabaseError() {
        SQLException wrapper = new SQLException("wrapped by a pool or framework", "HY000", 0,
                new RuntimeException("layer", sql("40P01", 0)));
        assertThat(Dialects.POSTGRES.classify(wrapper, false)).isEqualTo(ErrorCode.DEADLOCK);

        SQLException deep = new SQLException("outer", null, 0, new SQLException("middle", null, 0, sql(null, 1205)));
        assertThat(Dialects.MARIADB.classify(deep, false)).isEqualTo(ErrorCode.LOCK_TIMEOUT);
    }

    @Test
    void aSpecificCodeDeeperInTheChainWinsOverAGenericOneAtTheTop() {
        SQLException top = new SQLException("I/O error", "08006", 0, sql("40001", 0));
        assertThat(Dialects.POSTGRES.classify(top, false)).isEqualTo(ErrorCode.CONFLICT);
    }

    @Test
    void connectionExceptionsWithoutSqlStateAreConnectionFailuresOrUnknownAtCommit() {
        SQLException lost = new SQLNonTransientConnectionException("socket closed", null, 0, new IOException("EOF"));
        for (Dialect d : new Dialect[]{Dialects.POSTGRES, Dialects.MARIADB, Dialects.H2, Dialects.SQLITE}) {
            assertThat(d.classify(lost, false)).as(d.name()).isEqualTo(ErrorCode.CONNECTION_FAILURE);
            assertThat(d.classify(lost, true)).as(d.name()).isEqualTo(ErrorCode.COMMIT_UNKNOWN);
        }
    }

    @Test
    void cyclicChainsTerminate() {
        SQLException a = sql("HY000", 0);
        SQLException b = sql("HY000", 0);
        a.setNextException(b);
        b.initCause(a);
        assertThat(Dialects.POSTGRES.classify(a, false)).isEqualTo(ErrorCode.SQL_ERROR);
    }

    @Test
    void retryableCodesAbortTheWholeTransaction() {
        // MariaDB's 1205 rolls back only the statement; txkit must end the transaction itself.
        for (Dialect d : new Dialect[]{Dialects.POSTGRES, Dialects.MARIADB, Dialects.H2, Dialects.SQLITE}) {
            assertThat(d.abortsTransaction(ErrorCode.LOCK_TIMEOUT)).isTrue();
            assertThat(d.abortsTransaction(ErrorCode.CONFLICT)).isTrue();
            assertThat(d.abortsTransaction(ErrorCode.DEADLOCK)).isTrue();
            assertThat(d.abortsTransaction(ErrorCode.UNIQUE_VIOLATION)).isFalse();
        }
    }
}
