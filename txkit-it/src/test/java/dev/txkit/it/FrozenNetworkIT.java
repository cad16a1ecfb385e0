package dev.txkit.it;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.retry.RetryPolicy;
import dev.txkit.testing.DbKind;
import dev.txkit.testing.TcpProxy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wall-clock timeout when the network stops answering mid-statement (a partition that drops
 * packets, a hung host), made deterministic by a TCP proxy that stops forwarding without closing
 * anything. A cancel cannot get through — it needs a new connection to the same server — so txkit
 * sends it from a thread of its own (the watchdog keeps every other deadline) and, when the statement
 * is still running 2 s later, aborts the connection ({@code Connection.abort}).
 *
 * <p>PostgreSQL: the abort closes the socket and the blocked read fails at once; the call then
 * waits for pgjdbc's cancel attempt to give up ({@code cancelSignalTimeout}, 2 s here, 10 s by
 * default), which holds the statement's lock. Without the abort the read would wait forever (no
 * {@code socketTimeout} on this pool, as on most). MariaDB Connector/J 3.5's abort cannot end a
 * blocked read (it waits for the socket's read lock, which the blocked read holds), so there only
 * the URL's {@code socketTimeout} ends it: the README asks for one, and this pool sets 4 s.
 */
class FrozenNetworkIT extends DbIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** Connect timeout (seconds) and, on PostgreSQL, the cancel's: both need a new connection to the server. */
    private static final int CONNECT_SECONDS = 2;

    private HikariDataSource pool(TcpProxy proxy, DbKind kind) {
        HikariConfig config = new HikariConfig();
        String url = proxy.jdbcUrl();
        url += (url.contains("?") ? "&" : "?") + (kind == DbKind.POSTGRES
                ? "connectTimeout=" + CONNECT_SECONDS + "&cancelSignalTimeout=" + CONNECT_SECONDS
                : "connectTimeout=" + CONNECT_SECONDS * 1000 + "&socketTimeout=4000");
        config.setJdbcUrl(url);
        config.setUsername(schema(kind).user());
        config.setPassword(schema(kind).password());
        config.setMaximumPoolSize(4);
        return new HikariDataSource(config);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void transactions_blocked_on_a_network_that_stopped_answering_end_with_timeout_and_the_pool_recovers(DbKind kind)
            throws Exception {
        TcpProxy proxy = closeAfterTest(TcpProxy.start(schema(kind)));
        HikariDataSource pool = closeAfterTest(pool(proxy, kind));
        Database db = watch(Database.create(pool));
        TxOptions options = TxOptions.defaults().withTimeout(TIMEOUT).withRetry(RetryPolicy.none());
        int stuck = 2; // two at once: the second's deadline must not wait for the first one's cancel
        CountDownLatch inside = new CountDownLatch(stuck);
        CountDownLatch frozen = new CountDownLatch(1);
        ExecutorService clients = Executors.newFixedThreadPool(stuck);
        long frozenAt;
        List<Future<Integer>> calls = new ArrayList<>();
        try {
            for (int i = 0; i < stuck; i++) {
                calls.add(clients.submit(() -> db.inTransaction(options, tx -> {
                    tx.sql("SELECT 1").one(Integer.class); // the connection works
                    inside.countDown();
                    frozen.await();
                    return tx.sql("SELECT 2").one(Integer.class); // sent into the black hole
                })));
            }
            assertThat(inside.await(30, TimeUnit.SECONDS)).as("both transactions started").isTrue();
            proxy.freeze();
            frozenAt = System.nanoTime();
            frozen.countDown();
            for (Future<Integer> call : calls) {
                // generous: deadline 1 s, then the abort 2 s later (PostgreSQL) or the 4 s socket timeout (MariaDB)
                assertThatTimedOut(call, 20);
            }
        } finally {
            proxy.thaw();
            clients.shutdownNow();
        }
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - frozenAt);
        System.out.printf("frozen network [%s]: %d transactions ended with TIMEOUT %d ms after the freeze%n",
                kind, stuck, tookMillis);
        // well inside what no deadline at all would give (a read that never returns)
        assertThat(tookMillis).as("both ended soon after their deadline").isLessThan(12_000);
        // the aborted connections left the pool; new ones work once the network answers again
        Integer after = db.inTransaction(tx -> tx.sql("SELECT 3").one(Integer.class));
        assertThat(after).isEqualTo(3);
    }

    private static void assertThatTimedOut(Future<Integer> call, int seconds) throws InterruptedException {
        try {
            Integer result = call.get(seconds, TimeUnit.SECONDS);
            throw new AssertionError("the statement on a frozen network returned " + result);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("a transaction with a 1 s timeout was still running " + seconds
                    + " s into a network freeze", e);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(TxkitException.class);
            assertThat(((TxkitException) e.getCause()).code()).isEqualTo(ErrorCode.TIMEOUT);
        }
    }
}
