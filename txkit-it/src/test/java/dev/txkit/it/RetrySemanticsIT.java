package dev.txkit.it;

import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.Propagation;
import dev.txkit.Transaction;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.retry.RetriesExhaustedException;
import dev.txkit.retry.RetryPolicy;
import dev.txkit.spi.TxAttempt;
import dev.txkit.spi.TxListener;
import dev.txkit.testing.DbKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Where and how transactions are retried, on every database, with failures injected at chosen JDBC
 * calls (real rollback, then the database's own error codes) so no test depends on timing.
 */
class RetrySemanticsIT extends DbIT {
    private static final TxOptions REQUIRES_NEW = TxOptions.defaults().withPropagation(Propagation.REQUIRES_NEW);
    private final Map<DbKind, InjectingDataSource> injecting = new EnumMap<>(DbKind.class);
    private final Map<DbKind, Database> databases = new EnumMap<>(DbKind.class);
    private final List<String> events = new CopyOnWriteArrayList<>();

    private InjectingDataSource faults(DbKind kind) {
        return injecting.computeIfAbsent(kind, k -> new InjectingDataSource(schema(k).newPool(4)));
    }

    /** A Database over the fault-injecting pool, recording listener events. */
    private Database db(DbKind kind, RetryPolicy policy) {
        return watch(Database.builder(faults(kind).dataSource).retry(policy).listener(recorder()).build());
    }

    private Database injected(DbKind kind) {
        return databases.computeIfAbsent(kind, k -> db(k, RetryPolicy.defaults()));
    }

    /** The error each database reports for a write conflict at COMMIT. */
    private void failCommits(DbKind kind, int n) {
        switch (kind) {
            case POSTGRES -> faults(kind).failCommits(n, "40001", 0);
            case MARIADB -> faults(kind).failCommits(n, "40001", 1213); // Galera certification failure
            case H2 -> faults(kind).failCommits(n, "40001", 40001);
            case SQLITE -> faults(kind).failCommits(n, null, 5);
        }
    }

    private TxListener recorder() {
        return new TxListener() {
            @Override
            public void attemptStarted(TxAttempt a) {
                events.add("start " + a.number());
            }

            @Override
            public void attemptFailed(TxAttempt a, ErrorCode code, Throwable failure, Duration d) {
                events.add("failed " + a.number() + (code == null ? " " + failure.getClass().getSimpleName() : ""));
            }

            @Override
            public void retryScheduled(TxAttempt failed, Duration delay, TxkitException failure) {
                assertThat(delay).isBetween(Duration.ZERO, failed.options().retry().delayCap(failed.number()));
                events.add("retry " + failed.number());
            }

            @Override
            public void committed(TxAttempt a, Duration d) {
                events.add("committed " + a.number());
            }

            @Override
            public void rolledBack(TxAttempt a, Duration d) {
                events.add("rolledBack " + a.number());
            }
        };
    }

    @BeforeEach
    void table() {
        for (DbKind kind : available(DbKind.values())) {
            schema(kind).execute("DROP TABLE IF EXISTS item", "CREATE TABLE item (id INT PRIMARY KEY, note VARCHAR(50))");
        }
        events.clear();
    }

    @AfterEach
    void noInjectedConnectionLeaked() {
        for (InjectingDataSource f : injecting.values()) {
            f.reset();
            assertThat(f.activeConnections()).as("connections still borrowed").isZero();
        }
    }

    private long rows(DbKind kind) {
        return db(kind).sql("SELECT COUNT(*) FROM item").one(Long.class);
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void sideEffectsOfATransactionRetriedThreeTimesRunExactlyOnce(DbKind kind) {
        Database db = injected(kind);
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        List<String> deferred = new CopyOnWriteArrayList<>();
        List<String> afterCommit = new CopyOnWriteArrayList<>();
        List<String> afterRollback = new CopyOnWriteArrayList<>();
        failCommits(kind, 3);
        String result = db.inTransaction(tx -> {
            attempts.add(tx.attempt());
            tx.sql("INSERT INTO item VALUES (?, ?)", 1, "attempt " + tx.attempt()).update();
            int n = tx.attempt();
            tx.defer(() -> deferred.add("email for attempt " + n));
            tx.afterCommit(() -> afterCommit.add("hook of attempt " + n));
            tx.afterRollback(() -> afterRollback.add("rollback of attempt " + n));
            assertThat(deferred).as("nothing runs before the commit").isEmpty();
            return "done in " + n;
        });
        assertThat(result).isEqualTo("done in 4");
        assertThat(attempts).containsExactly(1, 2, 3, 4);
        assertThat(deferred).containsExactly("email for attempt 4");
        assertThat(afterCommit).containsExactly("hook of attempt 4");
        assertThat(afterRollback).containsExactly("rollback of attempt 1", "rollback of attempt 2", "rollback of attempt 3");
        assertThat(db(kind).sql("SELECT note FROM item").list(String.class)).containsExactly("attempt 4");
        assertThat(events).containsExactly(
                "start 1", "rolledBack 1", "failed 1", "retry 1",
                "start 2", "rolledBack 2", "failed 2", "retry 2",
                "start 3", "rolledBack 3", "failed 3", "retry 3",
                "start 4", "committed 4");
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void exhaustedRetriesThrowTheLastFailureWithTheEarlierOnesSuppressed(DbKind kind) {
        Database db = db(kind, RetryPolicy.builder().maxAttempts(3).build());
        AtomicInteger runs = new AtomicInteger();
        List<String> deferred = new CopyOnWriteArrayList<>();
        failCommits(kind, 10);
        assertThatThrownBy(() -> db.useTransaction(tx -> {
            runs.incrementAndGet();
            tx.sql("INSERT INTO item VALUES (?, ?)", 1, "x").update();
            tx.defer(() -> deferred.add("never"));
        })).isInstanceOfSatisfying(RetriesExhaustedException.class, e -> {
            assertThat(e.code().retryable()).isTrue();
            assertThat(e.attempts()).isEqualTo(3);
            assertThat(e.getMessage()).endsWith("(attempt 3 of 3)").contains("COMMIT");
            assertThat(e.getSuppressed()).hasSize(2).allSatisfy(s ->
                    assertThat(((TxkitException) s).code()).isEqualTo(e.code()));
            assertThat(e.vendorCode()).isEqualTo(e.lastFailure().vendorCode());
        });
        assertThat(runs).hasValue(3);
        assertThat(deferred).isEmpty();
        assertThat(rows(kind)).isZero();
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void aJoinedScopeNeverRetriesOnItsOwnTheOutermostTransactionDoes(DbKind kind) {
        Database db = injected(kind);
        List<String> runs = new CopyOnWriteArrayList<>();
        failCommits(kind, 2);
        db.useTransaction(outer -> {
            runs.add("outer " + outer.attempt());
            db.useTransaction(inner -> {
                runs.add("inner sees attempt " + inner.attempt());
                inner.sql("INSERT INTO item VALUES (?, ?)", 1, "joined").update();
            });
            db.useTransaction(TxOptions.defaults().withPropagation(Propagation.NESTED),
                    nested -> runs.add("nested sees attempt " + nested.attempt()));
        });
        assertThat(runs).containsExactly(
                "outer 1", "inner sees attempt 1", "nested sees attempt 1",
                "outer 2", "inner sees attempt 2", "nested sees attempt 2",
                "outer 3", "inner sees attempt 3", "nested sees attempt 3");
        assertThat(rows(kind)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void sideEffectsDeferredInANestedScopeThatRollsBackAreDiscarded(DbKind kind) {
        Database db = injected(kind);
        TxOptions nested = TxOptions.defaults().withPropagation(Propagation.NESTED);
        List<String> sent = new CopyOnWriteArrayList<>();
        db.useTransaction(tx -> {
            tx.defer(() -> sent.add("outer"));
            db.useTransaction(nested, inner -> inner.defer(() -> sent.add("kept nested")));
            assertThatThrownBy(() -> db.useTransaction(nested, inner -> {
                inner.defer(() -> sent.add("discarded nested"));
                throw new IllegalStateException("nested scope fails");
            })).hasMessage("nested scope fails");
            assertThat(sent).isEmpty();
        });
        assertThat(sent).containsExactly("outer", "kept nested");
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB", "H2"}) // SQLite: one writer at a time
    void requiresNewIsItsOwnRetryBoundary(DbKind kind) {
        Database db = injected(kind);
        List<String> runs = new CopyOnWriteArrayList<>();
        db.useTransaction(outer -> {
            runs.add("outer " + outer.attempt());
            outer.sql("INSERT INTO item VALUES (?, ?)", 1, "outer").update();
            failCommits(kind, 2); // the next COMMITs are the inner transaction's
            db.useTransaction(REQUIRES_NEW, inner -> {
                runs.add("inner " + inner.attempt());
                inner.sql("INSERT INTO item VALUES (?, ?)", 2, "inner").update();
            });
        });
        assertThat(runs).containsExactly("outer 1", "inner 1", "inner 2", "inner 3");
        assertThat(rows(kind)).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB", "H2"})
    void anOuterTransactionDoesNotRetryWhatAnInnerBoundaryGaveUpOn(DbKind kind) {
        Database db = injected(kind);
        TxOptions innerOptions = REQUIRES_NEW.withRetry(RetryPolicy.builder().maxAttempts(2).build());
        AtomicInteger outerRuns = new AtomicInteger();
        AtomicInteger innerRuns = new AtomicInteger();
        assertThatThrownBy(() -> db.useTransaction(outer -> {
            outerRuns.incrementAndGet();
            outer.sql("INSERT INTO item VALUES (?, ?)", 1, "outer").update();
            failCommits(kind, 5);
            db.useTransaction(innerOptions, inner -> {
                innerRuns.incrementAndGet();
                inner.sql("INSERT INTO item VALUES (?, ?)", 2, "inner").update();
            });
        })).isInstanceOfSatisfying(RetriesExhaustedException.class, e -> assertThat(e.attempts()).isEqualTo(2));
        assertThat(innerRuns).hasValue(2);
        assertThat(outerRuns).as("5 x 2 attempts would be retry amplification").hasValue(1);
        assertThat(rows(kind)).isZero();
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void manualTransactionsAreNeverRetried(DbKind kind) {
        Database db = injected(kind);
        failCommits(kind, 1);
        Transaction tx = db.begin();
        tx.sql("INSERT INTO item VALUES (?, ?)", 1, "manual").update();
        assertThat(tx.attempt()).isEqualTo(1);
        assertThatThrownBy(tx::commit).isInstanceOfSatisfying(TxkitException.class, e -> {
            assertThat(e).isNotInstanceOf(RetriesExhaustedException.class);
            assertThat(e.retryable()).as("the caller decides").isTrue();
        });
        tx.close();
        assertThat(rows(kind)).isZero();
        assertThat(events).containsExactly("rolledBack 1");
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void nonRetryableFailuresAndCheckedExceptionsPassThroughAfterOneAttempt(DbKind kind) {
        Database db = injected(kind);
        db.sql("INSERT INTO item VALUES (?, ?)", 1, "first").update();
        AtomicInteger runs = new AtomicInteger();
        assertThatThrownBy(() -> db.useTransaction(tx -> {
            runs.incrementAndGet();
            tx.sql("INSERT INTO item VALUES (?, ?)", 1, "duplicate").update();
        })).isInstanceOfSatisfying(TxkitException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.UNIQUE_VIOLATION);
            assertThat(e).isNotInstanceOf(RetriesExhaustedException.class);
        });
        IOException io = new IOException("mine");
        assertThatThrownBy(() -> db.useTransaction(tx -> {
            runs.incrementAndGet();
            throw io;
        })).isSameAs(io);
        assertThat(runs).hasValue(2);
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void aConnectionLostDuringCommitIsCommitUnknownAndNotRetried(DbKind kind) {
        Database db = injected(kind);
        faults(kind).failCommits(1, "08006", 0);
        AtomicInteger runs = new AtomicInteger();
        assertThatThrownBy(() -> db.useTransaction(tx -> {
            runs.incrementAndGet();
            tx.sql("INSERT INTO item VALUES (?, ?)", 1, "x").update();
        })).isInstanceOfSatisfying(TxkitException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.COMMIT_UNKNOWN));
        assertThat(runs).hasValue(1);
        assertThat(events).containsExactly("start 1", "failed 1");
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void aConflictSwallowedByTheCallbackStillRetriesTheTransaction(DbKind kind) {
        Database db = injected(kind);
        faults(kind).failStatements("/*hot*/", 1, "40001", kind == DbKind.MARIADB ? 1213 : 40001);
        List<String> seen = new CopyOnWriteArrayList<>();
        db.useTransaction(tx -> {
            try {
                tx.sql("UPDATE item SET note = 'x' /*hot*/ WHERE id = 1").update();
            } catch (TxkitException e) {
                seen.add("attempt " + tx.attempt() + " caught " + e.code());
            }
            tx.sql("INSERT INTO item VALUES (?, ?)", 2, "after").update(); // CLOSED in attempt 1
        });
        assertThat(seen).hasSize(1).allSatisfy(s -> assertThat(s).startsWith("attempt 1 caught"));
        assertThat(rows(kind)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "H2"})
    void listenersThatThrowAreLoggedAndChangeNothing(DbKind kind) {
        TxListener broken = new TxListener() {
            @Override
            public void attemptStarted(TxAttempt attempt) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void retryScheduled(TxAttempt failed, Duration delay, TxkitException failure) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void committed(TxAttempt attempt, Duration duration) {
                throw new IllegalStateException("listener bug");
            }
        };
        Database db = watch(Database.builder(faults(kind).dataSource).listener(broken).build());
        failCommits(kind, 1);
        int sum = db.inTransaction(tx -> tx.sql("INSERT INTO item VALUES (?, ?)", 1, "x").update() + tx.attempt());
        assertThat(sum).isEqualTo(3);
        assertThat(rows(kind)).isEqualTo(1);
    }
}
