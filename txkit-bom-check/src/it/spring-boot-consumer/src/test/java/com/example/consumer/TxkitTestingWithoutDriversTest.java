package com.example.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.txkit.Database;
import dev.txkit.testing.DbKind;
import dev.txkit.testing.TestDatabase;
import dev.txkit.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * txkit-testing as a user gets it: none of its JDBC drivers or embedded PostgreSQL come along
 * (they are optional), the H2 this application has is enough for DbKind.H2, and asking for an
 * engine whose driver is missing names the artifact to add.
 */
class TxkitTestingWithoutDriversTest {

    @ParameterizedTest
    @ValueSource(strings = {"org.postgresql.Driver", "org.mariadb.jdbc.Driver", "org.sqlite.JDBC",
            "io.zonky.test.db.postgres.embedded.EmbeddedPostgres"})
    void bringsNoDriverOfItsOwn(String className) {
        assertThatThrownBy(() -> Class.forName(className)).isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void runsOnTheDriverTheApplicationHas() {
        try (TestDatabase h2 = TestDatabases.create(DbKind.H2, "consumer");
             Database db = Database.create(h2.unpooledDataSource())) {
            db.sql("create table t (id int primary key)").update();
            db.useTransaction(tx -> tx.sql("insert into t values (1)").update());
            assertThat(db.sql("select count(*) from t").one(Long.class)).isEqualTo(1);
        }
    }

    @Test
    void namesTheArtifactOfAMissingDriver() {
        assertThatThrownBy(() -> TestDatabases.create(DbKind.POSTGRES, "consumer"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("add org.postgresql:postgresql to your test dependencies");
        assertThatThrownBy(() -> TestDatabases.create(DbKind.SQLITE, "consumer"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("add org.xerial:sqlite-jdbc to your test dependencies");
    }
}
