package dev.txkit.it;

import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.Isolation;
import dev.txkit.Transaction;
import dev.txkit.TxOptions;
import dev.txkit.testing.DbKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.concurrent.atomic.AtomicBoolean;

import static dev.txkit.it.TransactionIT.assertCode;
import static org.assertj.core.api.Assertions.assertThat;

/** Isolation and read-only reach the server, are refused where unsupported, and never leak to the next borrower. */
class IsolationIT extends DbIT {
    private static final TxOptions RO_SERIALIZABLE =
            TxOptions.defaults().withIsolation(Isolation.SERIALIZABLE).withReadOnly(true);

    @BeforeEach
    void table() {
        for (DbKind kind : available(DbKind.values())) {
            schema(kind).execute("DROP TABLE IF EXISTS item", "CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(50))");
        }
    }

    /** The isolation level and read-only flag of the current transaction, as the server reports them. */
    static String serverView(Transaction tx, DbKind kind) {
        switch (kind) {
            case POSTGRES:
                return tx.sql("SELECT current_setting('transaction_isolation') || '/' || current_setting('transaction_read_only')")
                        .one(String.class);
            case MARIADB:
                tx.sql("SELECT COUNT(*) FROM item").one(Long.class); // makes InnoDB start the transaction
                // information_schema.innodb_trx is served from a cache that InnoDB refreshes only when the
                // previous read is over 100 ms old; no event can be awaited instead, so wait that long.
                pause(150);
                return tx.sql("SELECT CONCAT(LOWER(trx_isolation_level), '/', IF(trx_is_read_only = 1, 'on', 'off'))"
                        + " FROM information_schema.innodb_trx WHERE trx_mysql_thread_id = CONNECTION_ID()").one(String.class);
            case H2:
                return tx.sql("SELECT LOWER(ISOLATION_LEVEL) FROM INFORMATION_SCHEMA.SESSIONS WHERE SESSION_ID = SESSION_ID()")
                        .one(String.class);
            default:
                return "serializable/" + (tx.sql("PRAGMA query_only").one(Integer.class) == 1 ? "on" : "off");
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void everyIsolationLevelReachesTheServer(DbKind kind) {
        Database db = db(kind);
        for (Isolation iso : Isolation.values()) {
            String seen = db.inTransaction(TxOptions.defaults().withIsolation(iso), tx -> serverView(tx, kind));
            assertThat(seen).isEqualTo(iso.sql().toLowerCase() + "/off");
        }
        String readOnly = db.inTransaction(RO_SERIALIZABLE, tx -> serverView(tx, kind));
        assertThat(readOnly).isEqualTo("serializable/on");
    }

    @Test
    void h2IsolationReachesTheSession() {
        Database db = db(DbKind.H2);
        String serializable = db.inTransaction(TxOptions.defaults().withIsolation(Isolation.SERIALIZABLE),
                tx -> serverView(tx, DbKind.H2));
        String byDefault = db.inTransaction(tx -> serverView(tx, DbKind.H2));
        assertThat(serializable).isEqualTo("serializable");
        assertThat(byDefault).isEqualTo("read committed");
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB", "SQLITE"})
    void writeInReadOnlyTransactionFailsWithReadOnlyViolation(DbKind kind) {
        Database db = db(kind);
        assertCode(() -> db.useTransaction(TxOptions.defaults().withReadOnly(true),
                tx -> tx.sql("INSERT INTO item VALUES (?, ?)", 1, "a").update()), ErrorCode.READ_ONLY_VIOLATION);
        assertThat(TransactionIT.committedRows(this, kind)).isZero();
    }

    @Test
    void unsupportedIsolationFailsBeforeAnythingRuns() {
        Database db = db(DbKind.SQLITE);
        AtomicBoolean ran = new AtomicBoolean();
        for (Isolation iso : new Isolation[]{Isolation.READ_UNCOMMITTED, Isolation.READ_COMMITTED, Isolation.REPEATABLE_READ}) {
            assertCode(() -> db.useTransaction(TxOptions.defaults().withIsolation(iso), tx -> {
                ran.set(true);
                tx.sql("INSERT INTO item VALUES (?, ?)", 1, "a").update();
            }), ErrorCode.UNSUPPORTED);
        }
        assertThat(ran).isFalse();
        assertThat(TransactionIT.committedRows(this, DbKind.SQLITE)).isZero();
        long count = db.inTransaction(TxOptions.defaults().withIsolation(Isolation.SERIALIZABLE),
                tx -> tx.sql("SELECT COUNT(*) FROM item").one(Long.class));
        assertThat(count).isZero();
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void nextBorrowerOfTheConnectionSeesTheDefaults(DbKind kind) {
        Database single = watch(Database.create(closeLater(schema(kind).newPool(1))));
        String defaults = single.inTransaction(tx -> serverView(tx, kind));
        String during = single.inTransaction(RO_SERIALIZABLE, tx -> serverView(tx, kind));
        String after = single.inTransaction(tx -> serverView(tx, kind));
        assertThat(during).startsWith("serializable");
        assertThat(after).isEqualTo(defaults);
        if (kind != DbKind.H2) {
            assertThat(after).endsWith("/off");
        }
        // autocommit is back on: a plain statement outside a transaction is committed at once
        single.sql("INSERT INTO item VALUES (?, ?)", 9, "z").update();
        assertThat(TransactionIT.committedRows(this, kind)).isEqualTo(1);
    }
}
