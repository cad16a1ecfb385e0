package dev.txkit.it.readme;

import dev.txkit.Database;
import dev.txkit.Isolation;
import dev.txkit.Transaction;
import dev.txkit.TxOptions;
import dev.txkit.it.DbIT;
import dev.txkit.testing.DbKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's "Usage" block, run on PostgreSQL and MariaDB over a pool of one connection: the root
 * {@code db.sql} inside {@code useTransaction} could not get a second connection, so the block
 * passing proves it joined the transaction.
 */
class ReadmeUsageIT extends DbIT {
    private final Mailer mailer = new Mailer();

    /** Compiled, not run: it names a server and a login of its own (the test below gets its pool from TestDatabases). */
    static Database connect(String secret, DataSource myDataSource) {
        // tag::usage[]
        Database db = Database.connect("jdbc:postgresql://127.0.0.1/test", "app", secret); // txkit owns a HikariCP pool
        // or: Database db = Database.create(myDataSource);                               // borrowed, left open on close()
        // end::usage[]
        return db;
    }

    @BeforeEach
    void tables() {
        for (DbKind kind : available(DbKind.POSTGRES, DbKind.MARIADB)) {
            schema(kind).execute("DROP TABLE IF EXISTS account", "DROP TABLE IF EXISTS audit", "DROP TABLE IF EXISTS wallet",
                    "CREATE TABLE account (id VARCHAR(10) PRIMARY KEY, balance BIGINT NOT NULL)",
                    "CREATE TABLE audit (note VARCHAR(100) NOT NULL)",
                    "CREATE TABLE wallet (id VARCHAR(10) PRIMARY KEY, balance BIGINT NOT NULL)",
                    "INSERT INTO account VALUES ('alice', 1000), ('bob', 0)",
                    "INSERT INTO wallet VALUES ('w1', 100)");
        }
        mailer.sent.clear();
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void theUsageBlockRunsAsItSays(DbKind kind) {
        Database db = watch(Database.create(schema(kind).newPool(1)));
        String from = "alice", to = "bob", alice = "alice", bob = "bob", id = "w1";
        long amount = 30;
        // tag::usage[]

        // Interactive: the callback's checked exceptions pass through unchanged; any exception rolls back.
        Receipt r = db.inTransaction(TxOptions.defaults().withIsolation(Isolation.SERIALIZABLE)
                                                           .withTimeout(Duration.ofSeconds(2)),
                tx -> transfer(tx, from, to, amount));

        // Sequential (Prisma's $transaction([...])): steps run in order, all or nothing, results in order.
        List<Object> results = db.inSequence(
                tx -> tx.sql("update account set balance = balance - ? where id = ?", 100, alice).update(),
                tx -> tx.sql("update account set balance = balance + ? where id = ?", 100, bob).update());

        // Manual (GORM-style): closing without commit rolls back; use after the end fails with CLOSED.
        try (Transaction tx = db.begin()) {
            tx.sql("insert into audit(note) values (?)", "hello").update();
            tx.afterCommit(() -> mailer.send("hello"));   // runs once, only after a successful commit
            tx.commit();
        }

        // Inside any transaction scope, the root Database joins it: no second connection, no self-deadlock.
        db.useTransaction(tx -> {
            tx.sql("update wallet set balance = balance - 10 where id = ?", id).update();
            db.sql("update wallet set balance = balance - 5 where id = ?", id).update();   // same transaction
        });
        // end::usage[]

        assertThat(r).isEqualTo(new Receipt("alice", "bob", 30));
        assertThat(results).containsExactly(1, 1);
        assertThat(db.sql("select balance from account where id = ?", "alice").one(Long.class)).isEqualTo(870);
        assertThat(db.sql("select balance from account where id = ?", "bob").one(Long.class)).isEqualTo(130);
        assertThat(db.sql("select note from audit").list(String.class)).containsExactly("hello");
        assertThat(mailer.sent).containsExactly("hello");
        assertThat(db.sql("select balance from wallet where id = ?", "w1").one(Long.class)).isEqualTo(85);
    }

    record Receipt(String from, String to, long amount) {
    }

    static Receipt transfer(Transaction tx, String from, String to, long amount) {
        tx.sql("update account set balance = balance - ? where id = ?", amount, from).update();
        tx.sql("update account set balance = balance + ? where id = ?", amount, to).update();
        return new Receipt(from, to, amount);
    }
}
