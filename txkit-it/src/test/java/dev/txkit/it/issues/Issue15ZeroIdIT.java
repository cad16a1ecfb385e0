package dev.txkit.it.issues;

import dev.txkit.Database;
import dev.txkit.it.DbIT;
import dev.txkit.table.Id;
import dev.txkit.table.Table;
import dev.txkit.testing.DbKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15 item 10: inserting a record whose primitive {@code @Id} is 0 returns the id of the row
 * actually written (MariaDB generates a new AUTO_INCREMENT value for 0), so {@code get(id)} finds it.
 */
class Issue15ZeroIdIT extends DbIT {
    record Gadget(@Id long id, String name) {
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void theReturnedIdFindsTheInsertedRow(DbKind kind) {
        String idColumn = switch (kind) {
            case POSTGRES -> "BIGSERIAL PRIMARY KEY";
            case MARIADB -> "BIGINT AUTO_INCREMENT PRIMARY KEY";
            case H2 -> "BIGINT AUTO_INCREMENT PRIMARY KEY";
            case SQLITE -> "INTEGER PRIMARY KEY";
        };
        schema(kind).execute("DROP TABLE IF EXISTS gadget", "CREATE TABLE gadget (id " + idColumn + ", name VARCHAR(20))");
        Database db = db(kind);
        Table<Gadget> gadgets = db.table(Gadget.class);
        if (kind == DbKind.MARIADB) {
            gadgets.insert(new Gadget(7, "seven")); // the next generated id is 8, not 0
        }
        Gadget g = gadgets.insert(new Gadget(0, "zero"));
        assertThat(gadgets.get(g.id()).name()).isEqualTo("zero");
        assertThat(db.sql("SELECT id FROM gadget WHERE name = 'zero'").one(Long.class)).isEqualTo(g.id());
        if (kind == DbKind.MARIADB) {
            assertThat(g.id()).as("MariaDB generated the id").isEqualTo(8);
            Gadget inTx = db.inTransaction(tx -> tx.table(Gadget.class).insert(new Gadget(0, "in tx")));
            assertThat(gadgets.get(inTx.id()).name()).isEqualTo("in tx");
        }
    }
}
