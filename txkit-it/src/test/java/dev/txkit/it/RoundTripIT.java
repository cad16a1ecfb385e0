package dev.txkit.it;

import dev.txkit.Database;
import dev.txkit.testing.DbKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A default txkit transaction sends exactly the JDBC calls of hand-written JDBC: no validation, no SET. */
class RoundTripIT extends DbIT {
    private static final String UPDATE = "UPDATE item SET name = ? WHERE id = ?";

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void defaultTransactionMakesExactlyTheCallsOfHandWrittenJdbc(DbKind kind) throws SQLException {
        schema(kind).execute("DROP TABLE IF EXISTS item", "CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(50))",
                "INSERT INTO item VALUES (1, 'a')");
        CountingDataSource counting = new CountingDataSource(closeLater(schema(kind).newPool(2)));
        Database db = watch(Database.create(counting.dataSource));
        db.useTransaction(tx -> tx.sql(UPDATE, "warm-up", 1).update()); // learns the dialect once

        counting.calls.clear();
        try (Connection c = counting.dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
                ps.setObject(1, "raw");
                ps.setObject(2, 1);
                ps.executeUpdate();
            }
            c.commit();
            c.setAutoCommit(true);
        }
        List<String> handWritten = List.copyOf(counting.calls);

        counting.calls.clear();
        db.useTransaction(tx -> tx.sql(UPDATE, "txkit", 1).update());
        List<String> txkit = List.copyOf(counting.calls);

        counting.calls.clear();
        db.useTransaction(tx -> db.sql(UPDATE, "ambient", 1).update());
        List<String> ambient = List.copyOf(counting.calls);

        assertThat(handWritten).containsExactly("getConnection", "setAutoCommit[false]", "prepareStatement[" + UPDATE + "]",
                "stmt.setObject", "stmt.setObject", "stmt.executeUpdate", "stmt.close", "commit", "setAutoCommit[true]", "close");
        assertThat(txkit).isEqualTo(handWritten);
        assertThat(ambient).as("a routed db.sql call adds nothing").isEqualTo(handWritten);
        assertThat(db.sql("SELECT name FROM item WHERE id = 1").one(String.class)).isEqualTo("ambient");
    }
}
