package dev.txkit.testing;

import dev.txkit.Database;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** Rollback-per-test on the real servers, two extensions in one class (one per database). */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TxkitExtensionIT {
    @RegisterExtension
    static final TxkitExtension PG = TxkitExtension.on(DbKind.POSTGRES).setup("CREATE TABLE item (id INT PRIMARY KEY)");
    @RegisterExtension
    static final TxkitExtension MARIA = TxkitExtension.on(DbKind.MARIADB).setup("CREATE TABLE item (id INT PRIMARY KEY)");

    @Test
    @Order(1)
    void writes() {
        for (Database db : new Database[]{PG.db(), MARIA.db()}) {
            db.sql("INSERT INTO item VALUES (1)").update();
            assertThat(db.sql("SELECT COUNT(*) FROM item").one(Long.class)).isEqualTo(1);
        }
        assertThat(TxkitExtensionTest.committedRows(PG.testDatabase())).isZero();
        assertThat(TxkitExtensionTest.committedRows(MARIA.testDatabase())).isZero();
    }

    @Test
    @Order(2)
    void theWriteIsGone() {
        assertThat(PG.db().sql("SELECT COUNT(*) FROM item").one(Long.class)).isZero();
        assertThat(MARIA.db().sql("SELECT COUNT(*) FROM item").one(Long.class)).isZero();
    }
}
