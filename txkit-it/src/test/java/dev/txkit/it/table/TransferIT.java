package dev.txkit.it.table;

import dev.txkit.Database;
import dev.txkit.Transaction;
import dev.txkit.TxOptions;
import dev.txkit.it.DbIT;
import dev.txkit.retry.RetryPolicy;
import dev.txkit.table.Change;
import dev.txkit.table.Id;
import dev.txkit.table.Table;
import dev.txkit.testing.DbKind;
import dev.txkit.testing.Race;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seed 001's bank transfer: decrement the sender, check the balance did not go below zero, increment
 * the recipient — in one transaction. Alice has 100 and sends 100 twice at the same time: one
 * transfer succeeds, the other fails with insufficient funds and is rolled back; money is conserved.
 */
class TransferIT extends DbIT {

    record Account(@Id Long id, String email, long balance) {
    }

    /** A checked exception: passes through inTransaction unchanged, and rolls the transfer back. */
    static final class InsufficientFunds extends Exception {
        InsufficientFunds(String from, long amount) {
            super(from + " doesn't have enough to send " + amount);
        }
    }

    static Account transfer(Database db, String from, String to, long amount) throws InsufficientFunds {
        return db.inTransaction(TxOptions.defaults().withRetry(RetryPolicy.none()), tx -> transfer(tx, from, to, amount));
    }

    static Account transfer(Transaction tx, String from, String to, long amount) throws InsufficientFunds {
        Table<Account> accounts = tx.table(Account.class);
        // 1. Decrement amount from the sender (an atomic balance = balance - ?, which locks the row).
        accounts.where("email", from).updateAll(Change.decrement("balance", amount));
        // 2. Verify that the sender's balance didn't go below zero.
        Account sender = accounts.where("email", from).first().orElseThrow();
        if (sender.balance() < 0) {
            throw new InsufficientFunds(from, amount);
        }
        // 3. Increment the recipient's balance by amount.
        accounts.where("email", to).updateAll(Change.increment("balance", amount));
        return accounts.where("email", to).first().orElseThrow();
    }

    @BeforeEach
    void accounts() {
        for (DbKind kind : List.of(DbKind.POSTGRES, DbKind.MARIADB, DbKind.H2)) {
            schema(kind).execute("DROP TABLE IF EXISTS account", "CREATE TABLE account (id " + Ddl.identity(kind)
                    + ", email VARCHAR(50) NOT NULL UNIQUE, balance BIGINT NOT NULL)");
            db(kind).table(Account.class).insertAll(List.of(new Account(null, "alice@prisma.io", 100),
                    new Account(null, "bob@prisma.io", 100)));
        }
    }

    private long balance(DbKind kind, String email) {
        return db(kind).table(Account.class).where("email", email).first().orElseThrow().balance();
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB", "H2"})
    void oneOfTwoConcurrentTransfersOfEverythingFails(DbKind kind) {
        Database db = db(kind);
        Race.Result<Account> r = Race.run(2, i -> transfer(db, "alice@prisma.io", "bob@prisma.io", 100));
        assertThat(r.successes()).isEqualTo(1);
        assertThat(r.failuresOf(InsufficientFunds.class)).as(r.failures().toString()).isEqualTo(1);
        assertThat(r.failures().get(0)).hasMessage("alice@prisma.io doesn't have enough to send 100");
        assertThat(r.values().get(0).balance()).isEqualTo(200);
        assertThat(balance(kind, "alice@prisma.io")).as("the failed transfer was rolled back").isZero();
        assertThat(balance(kind, "bob@prisma.io")).isEqualTo(200);
        assertThat(db.sql("SELECT SUM(balance) FROM account").one(Long.class)).as("money conserved").isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB", "H2"})
    void sequentialTransfersBehaveTheSame(DbKind kind) throws Exception {
        Database db = db(kind);
        assertThat(transfer(db, "alice@prisma.io", "bob@prisma.io", 100).balance()).isEqualTo(200);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> transfer(db, "alice@prisma.io", "bob@prisma.io", 100))
                .isInstanceOf(InsufficientFunds.class);
        assertThat(balance(kind, "alice@prisma.io")).isZero();
        assertThat(balance(kind, "bob@prisma.io")).isEqualTo(200);
    }
}
