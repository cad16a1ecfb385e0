package dev.txkit.it;

import com.zaxxer.hikari.HikariDataSource;
import dev.txkit.testing.DbKind;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the door tests ({@link PoolScopeIT}, {@link ForeignDoorIT}): one account row with balance
 * 100, recreated before each test on PostgreSQL and MariaDB, and the update that contends for it
 * (its comment names the schema, so lock-view checks can find it).
 */
abstract class AccountRowIT extends DbIT {

    @BeforeEach
    void accountRow() {
        for (DbKind kind : available(DbKind.POSTGRES, DbKind.MARIADB)) {
            schema(kind).execute("DROP TABLE IF EXISTS account",
                    "CREATE TABLE account (id INT PRIMARY KEY, balance INT NOT NULL)", "INSERT INTO account VALUES (1, 100)");
        }
    }

    String update(DbKind kind) {
        return "UPDATE account SET balance = balance - ? WHERE id = 1 /* " + schema(kind).name() + " */";
    }

    /** A pool of 3 of this test's own (a transaction, a pre-opened handle, one more), closed after it. */
    HikariDataSource pool(DbKind kind) {
        return closeAfterTest(schema(kind).newPool(3));
    }

    int balance(DbKind kind) {
        return db(kind).sql("SELECT balance FROM account WHERE id = 1").one(Integer.class);
    }
}
