package dev.txkit.it.readme;

import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.IdempotencyKey;
import dev.txkit.ResultCodec;
import dev.txkit.Transaction;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.it.DbIT;
import dev.txkit.retry.RetryPolicy;
import dev.txkit.table.Id;
import dev.txkit.table.Table;
import dev.txkit.table.Version;
import dev.txkit.testing.DbKind;
import dev.txkit.testing.Race;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The README's two "Idempotency keys" blocks on PostgreSQL and MariaDB: a repeated request is
 * answered from the stored result without running the work again, a different request under the
 * same key runs nothing, and concurrent version-checked debits under the optimistic policy each
 * land exactly once.
 */
class ReadmeIdempotencyIT extends DbIT {
    private static final int CLIENTS = 8;

    /** The parts of an HTTP request the README's block reads. */
    record Request(Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name);
        }
    }

    record Receipt(long teamId, String plan, long charges) {
        String toText() {
            return teamId + ";" + plan + ";" + charges;
        }

        static Receipt parse(String text) {
            String[] parts = text.split(";");
            return new Receipt(Long.parseLong(parts[0]), parts[1], Long.parseLong(parts[2]));
        }
    }

    record Wallet(@Id String id, long balance, @Version int version) {
        Wallet minus(long amount) {
            return new Wallet(id, balance - amount, version);
        }
    }

    @BeforeEach
    void tables() {
        for (DbKind kind : available(DbKind.POSTGRES, DbKind.MARIADB)) {
            schema(kind).execute("DROP TABLE IF EXISTS team", "DROP TABLE IF EXISTS charge", "DROP TABLE IF EXISTS wallet",
                    "CREATE TABLE team (id BIGINT PRIMARY KEY, plan VARCHAR(20) NOT NULL)",
                    "CREATE TABLE charge (team_id BIGINT NOT NULL, plan VARCHAR(20) NOT NULL)",
                    "CREATE TABLE wallet (id VARCHAR(10) PRIMARY KEY, balance BIGINT NOT NULL, version INT NOT NULL)",
                    "INSERT INTO team VALUES (7, 'free')",
                    "INSERT INTO wallet VALUES ('alice', 1000, 1)");
        }
    }

    /** The work: charge the team once and change its plan. */
    static Receipt upgradeTeam(Transaction tx, long teamId, String plan) {
        tx.sql("INSERT INTO charge (team_id, plan) VALUES (?, ?)", teamId, plan).update();
        tx.sql("UPDATE team SET plan = ? WHERE id = ?", plan, teamId).update();
        return new Receipt(teamId, plan, tx.sql("SELECT COUNT(*) FROM charge WHERE team_id = ?", teamId).one(Long.class));
    }

    static Receipt upgrade(Database db, Request request, long teamId, String plan) {
        // tag::idempotent[]
        Receipt r = db.idempotent(IdempotencyKey.of(request.header("Idempotency-Key")).withRequest(request.body()),
                ResultCodec.of(Receipt::toText, Receipt::parse),          // built in: text(), longs(), uuids(), none(), …
                tx -> upgradeTeam(tx, teamId, plan));
        // end::idempotent[]
        return r;
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void aRetriedUpgradeChargesOnceAndADifferentRequestUnderItsKeyRunsNothing(DbKind kind) {
        Database db = db(kind);
        Request request = new Request(Map.of("Idempotency-Key", "upgrade-7-" + kind), "team 7 to pro");

        Receipt first = upgrade(db, request, 7, "pro");
        Receipt again = upgrade(db, request, 7, "pro");
        Throwable other = catchThrowable(() -> upgrade(db, new Request(request.headers(), "team 7 to team"), 7, "team"));

        assertThat(first).isEqualTo(new Receipt(7, "pro", 1));
        assertThat(again).as("the stored result").isEqualTo(first);
        assertThat(other).isInstanceOfSatisfying(TxkitException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.IDEMPOTENCY_MISMATCH));
        assertThat(db.sql("SELECT COUNT(*) FROM charge").one(Long.class)).as("charged once").isEqualTo(1);
        assertThat(db.sql("SELECT plan FROM team WHERE id = 7").one(String.class)).isEqualTo("pro");
    }

    static long debit(Database db, String requestId) {
        // tag::optimistic[]
        long balance = db.idempotent(TxOptions.defaults().withRetry(RetryPolicy.optimistic()),
                IdempotencyKey.of(requestId).withRequest("debit 10"), ResultCodec.longs(), tx -> {
                    Table<Wallet> wallets = tx.table(Wallet.class);
                    return wallets.update(wallets.get("alice").minus(10)).balance();   // where id = ? and version = ?
                });
        // end::optimistic[]
        return balance;
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void concurrentVersionCheckedDebitsUnderTheirOwnKeysEachLandOnce(DbKind kind) {
        Database db = db(kind);
        String prefix = "debit-" + kind + "-";
        Race.Result<Long> r = Race.run(CLIENTS, Duration.ofSeconds(60), i -> debit(db, prefix + i));
        Race.Result<Long> repeated = Race.run(CLIENTS, Duration.ofSeconds(60), i -> debit(db, prefix + i));

        assertThat(r.failures()).as("no debit failed").isEmpty();
        assertThat(r.values()).as("each debit saw its own balance").doesNotHaveDuplicates().hasSize(CLIENTS);
        assertThat(repeated.values()).as("repeats get the stored results").containsExactlyElementsOf(r.values());
        assertThat(db.table(Wallet.class).get("alice").balance()).isEqualTo(1000 - 10L * CLIENTS);
    }
}
