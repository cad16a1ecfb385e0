package dev.txkit.it;

import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.IdempotencyKey;
import dev.txkit.ResultCodec;
import dev.txkit.TxkitException;
import dev.txkit.spi.TxAttempt;
import dev.txkit.spi.TxListener;
import dev.txkit.testing.DbKind;
import dev.txkit.testing.TcpProxy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A connection lost while COMMIT is in flight, made deterministic by a TCP proxy that cuts the
 * connection right after (or instead of) forwarding COMMIT. Without an idempotency key the caller
 * gets COMMIT_UNKNOWN and nothing is retried; with a key txkit resolves the outcome and the work is
 * applied exactly once.
 */
class CommitUnknownIT extends DbIT {
    private final Map<DbKind, TcpProxy> proxies = new EnumMap<>(DbKind.class);
    private final Map<DbKind, Database> proxied = new EnumMap<>(DbKind.class);
    private final List<String> events = new CopyOnWriteArrayList<>();

    private TcpProxy proxy(DbKind kind) {
        return proxies.computeIfAbsent(kind, k -> closeLater(TcpProxy.start(schema(k))));
    }

    /** A Database whose every connection goes through the proxy. */
    private Database viaProxy(DbKind kind) {
        return proxied.computeIfAbsent(kind, k -> watch(Database.builder(proxy(k).newPool(4))
                .listener(new TxListener() {
                    @Override
                    public void attemptFailed(TxAttempt attempt, ErrorCode code, Throwable failure, Duration d) {
                        events.add("failed " + attempt.number() + " " + code);
                    }

                    @Override
                    public void committed(TxAttempt attempt, Duration duration) {
                        events.add("committed " + attempt.number());
                    }
                }).build()));
    }

    @BeforeEach
    void table() {
        for (DbKind kind : List.of(DbKind.POSTGRES, DbKind.MARIADB)) {
            // each test uses its own idempotency keys; txkit creates txkit_idempotency on first use
            schema(kind).execute("DROP TABLE IF EXISTS ledger", "CREATE TABLE ledger (id INT PRIMARY KEY, amount INT)");
        }
        events.clear();
    }

    private int committedLedgerRows(DbKind kind) {
        try (Connection c = schema(kind).unpooledDataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM ledger")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The ledger's rows once the COMMIT whose answer was cut off has taken effect: the caller hears of the cut
     * as soon as its socket closes, which can be before the server has made that COMMIT visible to other
     * sessions (its log flush still under way), so a count taken at once may not see it yet. Counts until a
     * row is there, for up to 10 s (a COMMIT that never takes effect fails the caller's assertion then).
     */
    private int ledgerRowsOnceTheLostCommitIsDone(DbKind kind) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        int rows = committedLedgerRows(kind);
        while (rows == 0 && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(5_000_000); // polls the server: nothing here can signal its commit
            rows = committedLedgerRows(kind);
        }
        return rows;
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void lostCommitWithoutAKeyIsCommitUnknownAndNeverRetried(DbKind kind) {
        Database db = viaProxy(kind);
        AtomicInteger runs = new AtomicInteger();
        int cutsBefore = proxy(kind).cuts();
        proxy(kind).arm(TcpProxy.Cut.AFTER_COMMIT);
        assertThatThrownBy(() -> db.useTransaction(tx -> {
            runs.incrementAndGet();
            tx.sql("INSERT INTO ledger VALUES (?, ?)", 1, 100).update();
        })).isInstanceOfSatisfying(TxkitException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.COMMIT_UNKNOWN);
            assertThat(e.retryable()).isFalse();
            assertThat(e.getMessage()).contains("may or may not have committed");
        });
        assertThat(proxy(kind).cuts() - cutsBefore).isEqualTo(1);
        assertThat(runs).as("COMMIT_UNKNOWN must not be retried blindly").hasValue(1);
        assertThat(events).containsExactly("failed 1 COMMIT_UNKNOWN");
        // The proxy forwarded the COMMIT, so it did commit: a blind retry would have applied it twice.
        assertThat(ledgerRowsOnceTheLostCommitIsDone(kind)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void lostCommitThatCommittedIsResolvedByTheKeyAndReturnsTheStoredResult(DbKind kind) {
        Database db = viaProxy(kind);
        AtomicInteger runs = new AtomicInteger();
        int cutsBefore = proxy(kind).cuts();
        proxy(kind).arm(TcpProxy.Cut.AFTER_COMMIT);
        String receipt = db.idempotent(IdempotencyKey.of("pay-1").withRequest("pay 100"), ResultCodec.text(), tx -> {
            runs.incrementAndGet();
            tx.sql("INSERT INTO ledger VALUES (?, ?)", 1, 100).update();
            return "receipt-1";
        });
        assertThat(receipt).isEqualTo("receipt-1");
        assertThat(proxy(kind).cuts() - cutsBefore).isEqualTo(1);
        assertThat(runs).as("the work committed once; it must not run again").hasValue(1);
        assertThat(committedLedgerRows(kind)).isEqualTo(1);
        // If the lookup ran before the server had finished the lost COMMIT, the re-run's claim waited
        // for it and found the stored result (an empty transaction that commits): still one effect.
        assertThat(events).first().isEqualTo("failed 1 COMMIT_UNKNOWN");
        assertThat(events.subList(1, events.size())).isSubsetOf("committed 1");
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void lostCommitThatDidNotCommitIsRunOnceMoreUnderTheKey(DbKind kind) {
        Database db = viaProxy(kind);
        AtomicInteger runs = new AtomicInteger();
        int cutsBefore = proxy(kind).cuts();
        proxy(kind).arm(TcpProxy.Cut.BEFORE_COMMIT);
        String receipt = db.idempotent(IdempotencyKey.of("pay-2").withRequest("pay 200"), ResultCodec.text(), tx -> {
            int n = runs.incrementAndGet();
            tx.sql("INSERT INTO ledger VALUES (?, ?)", 2, 200).update();
            return "receipt-2 run " + n;
        });
        assertThat(proxy(kind).cuts() - cutsBefore).isEqualTo(1);
        assertThat(receipt).isEqualTo("receipt-2 run 2");
        assertThat(runs).hasValue(2);
        assertThat(committedLedgerRows(kind)).isEqualTo(1);
        assertThat(events).containsExactly("failed 1 COMMIT_UNKNOWN", "committed 1");
        // a later repeat of the request is answered from the key, without running the work
        assertThat(db.idempotent(IdempotencyKey.of("pay-2").withRequest("pay 200"), ResultCodec.text(), tx -> {
            runs.incrementAndGet();
            return "must not run";
        })).isEqualTo("receipt-2 run 2");
        assertThat(runs).hasValue(2);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void proxyIsTransparentWhenNotArmed(DbKind kind) {
        Database db = viaProxy(kind);
        int before = proxy(kind).commitsSeen();
        int cutsBefore = proxy(kind).cuts();
        for (int i = 0; i < 8; i++) { // PgJDBC server-prepares COMMIT after 5 uses: both forms are recognised
            int id = 10 + i;
            db.useTransaction(tx -> tx.sql("INSERT INTO ledger VALUES (?, ?)", id, id).update());
        }
        assertThat(committedLedgerRows(kind)).isEqualTo(8);
        assertThat(proxy(kind).commitsSeen() - before).isGreaterThanOrEqualTo(8);
        assertThat(proxy(kind).cuts() - cutsBefore).isZero();
    }
}
