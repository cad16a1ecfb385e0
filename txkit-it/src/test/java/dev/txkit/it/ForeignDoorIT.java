package dev.txkit.it;

import com.zaxxer.hikari.HikariDataSource;
import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.testing.DbKind;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Doors txkit never sees (issue 10): plain JDBC, Spring's JdbcTemplate and a JDBI handle on the
 * <em>raw</em> pool inside a txkit scope, touching the row the transaction locked. The server's lock
 * view shows a session of this very process (its client port is one of this JVM's sockets) waiting
 * for the transaction: within a second txkit cancels that statement on the server and the
 * transaction fails with SELF_DEADLOCK. A session of another process is not cancelled; the
 * transaction's deadline ends the wait, and the TIMEOUT names the lock wait.
 */
class ForeignDoorIT extends AccountRowIT {
    private static final int SECRET = 4242;

    private static void selfDeadlock(Throwable e) {
        assertThat(e).isInstanceOfSatisfying(TxkitException.class, x -> {
            assertThat(x.code()).isEqualTo(ErrorCode.SELF_DEADLOCK);
            assertThat(x.getMessage()).contains("a connection of this process that txkit does not manage")
                    .contains("db.dataSource()").doesNotContain(Integer.toString(SECRET));
        });
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void plainJdbcOnTheRawPoolOnTheOwnerThreadIsASelfDeadlockWithinASecond(DbKind kind) {
        HikariDataSource pool = pool(kind);
        Database db = watch(Database.create(pool));
        AtomicLong start = new AtomicLong();
        assertThatThrownBy(() -> db.useTransaction(tx -> {
            tx.sql(update(kind), 1).update();
            try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(update(kind))) {
                ps.setInt(1, SECRET);
                start.set(System.nanoTime());
                ps.executeUpdate();
            }
        })).satisfies(e -> {
            selfDeadlock(e);
            assertThat(e.getMessage()).contains("which runs that statement itself");
            assertThat(e.getCause()).as("the driver's cancellation").isInstanceOf(SQLException.class);
        });
        assertThat(SelfDeadlockIT.millisSince(start.get())).isLessThan(1000);
        assertThat(balance(kind)).as("the cancelled statement and the transaction left nothing").isEqualTo(100);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void plainJdbcOnTheRawPoolOnAnAwaitedThreadIsASelfDeadlockWithinASecond(DbKind kind) throws Exception {
        HikariDataSource pool = pool(kind);
        Database db = watch(Database.create(pool));
        AtomicReference<Throwable> workerFailure = new AtomicReference<>();
        AtomicLong waited = new AtomicLong();
        long[] end = new long[1];
        long start = System.nanoTime();
        assertThatThrownBy(() -> db.useTransaction(tx -> {
            tx.sql(update(kind), 1).update();
            Thread worker = new Thread(() -> {
                try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(update(kind))) {
                    ps.setInt(1, SECRET);
                    long t0 = System.nanoTime();
                    try {
                        ps.executeUpdate();
                    } finally {
                        waited.set(SelfDeadlockIT.millisSince(t0));
                    }
                } catch (Throwable t) {
                    workerFailure.set(t);
                }
            }, "raw-jdbc-worker");
            worker.start();
            worker.join();
            end[0] = System.nanoTime(); // the owner swallows the worker's failure and returns normally
        })).satisfies(e -> {
            selfDeadlock(e);
            assertThat(e.getMessage()).contains("owner thread '" + Thread.currentThread().getName() + "', WAITING");
        });
        assertThat(waited.get()).as("the blocked statement ended well before the 5 s timeout").isLessThan(1000);
        assertThat(workerFailure.get()).as("the worker's statement was cancelled").isInstanceOf(SQLException.class);
        assertThat((end[0] - start) / 1_000_000).as("the owner went on well before its 5 s deadline").isLessThan(3000);
        assertThat(balance(kind)).isEqualTo(100);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void jdbcTemplateAndAPreOpenedJdbiHandleOnTheRawPoolAreStoppedToo(DbKind kind) throws Exception {
        HikariDataSource pool = pool(kind);
        Database db = watch(Database.create(pool));
        JdbcTemplate template = new JdbcTemplate(pool);
        try (Handle early = Jdbi.create(pool).open()) {
            early.execute("UPDATE account SET balance = balance WHERE id = 2"); // JDBI's first statement loads its classes
            for (String door : new String[]{"JdbcTemplate", "JDBI handle"}) {
                AtomicLong start = new AtomicLong();
                assertThatThrownBy(() -> db.useTransaction(tx -> {
                    tx.sql(update(kind), 1).update();
                    start.set(System.nanoTime());
                    if (door.equals("JdbcTemplate")) {
                        template.update(update(kind), SECRET);
                    } else {
                        early.execute(update(kind), SECRET);
                    }
                })).as(door).satisfies(e -> selfDeadlock(e));
                assertThat(SelfDeadlockIT.millisSince(start.get())).as(door).isLessThan(1000);
            }
        }
        assertThat(balance(kind)).isEqualTo(100);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void anotherProcessIsNotCancelledAndTheTimeoutNamesTheLockWait(DbKind kind) throws Exception {
        Database db = db(kind);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                BlockedChild.class.getName(), schema(kind).jdbcUrl(), schema(kind).user(), schema(kind).password(),
                update(kind).replace("?", "1000"));
        child.redirectErrorStream(true);
        TxOptions shortTimeout = TxOptions.defaults().withTimeout(Duration.ofSeconds(2));
        Process p = child.start(); // started and connected before the transaction: JVM start-up is slow
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("connected");
            assertThatThrownBy(() -> db.useTransaction(shortTimeout, tx -> {
                tx.sql(update(kind), 1).update();
                p.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
                p.getOutputStream().flush();
                assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("the child ran once the transaction ended").isTrue();
            })).isInstanceOfSatisfying(TxkitException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT);
                assertThat(e.getMessage()).contains("The time went into a lock wait, not into work")
                        .contains("not recognised as a connection of this process")
                        .containsPattern("server session \\d+ \\(.*\\) had waited \\d+ ms for a lock held by this transaction"
                                + " \\(server session \\d+\\)")
                        .doesNotContain("Do less inside the transaction");
            });
            assertThat(p.exitValue()).as("the other process was not cancelled").isZero();
        } finally {
            p.destroyForcibly(); // only if an assertion failed before it ended
        }
        assertThat(balance(kind)).as("the other process's write committed after the rollback").isEqualTo(100 - 1000);
    }
}
