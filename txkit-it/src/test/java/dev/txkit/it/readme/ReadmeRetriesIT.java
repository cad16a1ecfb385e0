package dev.txkit.it.readme;

import dev.txkit.Database;
import dev.txkit.Isolation;
import dev.txkit.TxOptions;
import dev.txkit.it.DbIT;
import dev.txkit.testing.DbKind;
import dev.txkit.testing.FaultyDataSource;
import dev.txkit.testing.Faults;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's "Retries and conflicts" block on PostgreSQL and MariaDB, with the first COMMIT failing
 * with a serialization failure (40001, rolled back for real by {@link FaultyDataSource}): the block
 * runs twice, debits once, and its deferred mail goes out once, after the second attempt's commit.
 */
class ReadmeRetriesIT extends DbIT {
    private final Mailer mailer = new Mailer();

    record Receipt(String wallet, int attempt) {
    }

    @BeforeEach
    void tables() {
        for (DbKind kind : available(DbKind.POSTGRES, DbKind.MARIADB)) {
            schema(kind).execute("DROP TABLE IF EXISTS wallet",
                    "CREATE TABLE wallet (id VARCHAR(10) PRIMARY KEY, balance BIGINT NOT NULL)",
                    "INSERT INTO wallet VALUES ('w1', 100)");
        }
        mailer.sent.clear();
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void aConflictAtCommitReRunsTheBlockAndItsSideEffectRunsOnce(DbKind kind) {
        FaultyDataSource faulty = FaultyDataSource.wrap(schema(kind).newPool(2));
        Database db = watch(Database.create(faulty));
        faulty.failCommit(Faults.serializationFailure());
        String id = "w1";
        long amount = 30;
        // tag::retries[]
        Receipt r = db.inTransaction(TxOptions.defaults().withIsolation(Isolation.SERIALIZABLE), tx -> {
            long balance = tx.sql("SELECT balance FROM wallet WHERE id = ?", id).one(Long.class);
            tx.sql("UPDATE wallet SET balance = ? WHERE id = ?", balance - amount, id).update();
            tx.defer(() -> mailer.sendReceipt(id));          // runs once, after the final successful commit
            return new Receipt(id, tx.attempt());            // attempt 1, 2, … of this transaction
        });
        // end::retries[]

        assertThat(faulty.commits()).as("the failed COMMIT and the retried one").isEqualTo(2);
        assertThat(r).isEqualTo(new Receipt("w1", 2));
        assertThat(mailer.sent).containsExactly("receipt for w1");
        assertThat(db.sql("SELECT balance FROM wallet WHERE id = ?", id).one(Long.class)).isEqualTo(70);
    }
}
