package dev.txkit.it.issues;

import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.it.DbIT;
import dev.txkit.testing.DbKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.txkit.it.issues.Issue15.failsWith;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15 item 4: a wrong number of bind arguments fails with INVALID_ARGUMENT naming expected and
 * given counts, before anything is sent, on every dialect; question marks in quotes, comments,
 * dollar quotes and PgJDBC's {@code ??} are not counted.
 */
class Issue15BindCountIT extends DbIT {

    @BeforeEach
    void table() {
        for (DbKind kind : available(DbKind.values())) {
            schema(kind).execute("DROP TABLE IF EXISTS note", "CREATE TABLE note (id INT PRIMARY KEY, body VARCHAR(50))");
        }
    }

    private int rows(DbKind kind) {
        return db(kind).sql("SELECT count(*) FROM note").one(Integer.class);
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void tooManyOrTooFewArgumentsAreInvalidAndNothingIsWritten(DbKind kind) {
        Database db = db(kind);
        String insert = "INSERT INTO note (id, body) VALUES (?, ?)";
        var many = failsWith(ErrorCode.INVALID_ARGUMENT, () -> db.sql(insert, 1, "a", "extra").update());
        assertThat(many.getMessage()).contains("2 placeholders (?) but 3 arguments were given").contains("nothing was sent")
                .doesNotContain("extra");
        var few = failsWith(ErrorCode.INVALID_ARGUMENT, () -> db.sql(insert, 1).update());
        assertThat(few.getMessage()).contains("2 placeholders (?) but 1 argument was given");
        assertThat(few.retryable()).isFalse();
        failsWith(ErrorCode.INVALID_ARGUMENT, () -> db.sql("SELECT body FROM note WHERE id = ?").list(String.class));
        // inside a transaction the failure sends nothing, so the transaction carries on and commits
        db.useTransaction(tx -> {
            failsWith(ErrorCode.INVALID_ARGUMENT, () -> tx.sql(insert, 2, "b", "c").update());
            tx.sql(insert, 3, "kept").update();
        });
        assertThat(rows(kind)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void questionMarksInLiteralsAndCommentsAreNotPlaceholders(DbKind kind) {
        Database db = db(kind);
        db.sql("INSERT INTO note (id, body) VALUES (?, 'what? really?') -- one more?\n", 1).update();
        db.sql("/* who? */ INSERT INTO note (id, body) VALUES (?, ?)", 2, "why?").update();
        assertThat(db.sql("SELECT body FROM note WHERE body LIKE '%?%' AND id = ? ORDER BY id", 1).list(String.class))
                .containsExactly("what? really?");
        assertThat(rows(kind)).isEqualTo(2);
    }

    @Test
    void postgresDollarQuotesAndTheDoubledQuestionMarkOperator() {
        Database db = db(DbKind.POSTGRES);
        assertThat(db.sql("SELECT '{\"a\":1}'::jsonb ?? 'a' AND ?::int = 1", 1).one(Boolean.class)).isTrue();
        assertThat(db.sql("SELECT $$ what? $$ || $q$ it's? $q$ || ?", "x").one(String.class)).isEqualTo(" what?  it's? x");
        failsWith(ErrorCode.INVALID_ARGUMENT, () -> db.sql("SELECT '{\"a\":1}'::jsonb ?| array['a']").one(Boolean.class));
    }

    @Test
    void mariaDbBackslashEscapesBackticksAndHashComments() {
        Database db = db(DbKind.MARIADB);
        assertThat(db.sql("SELECT CONCAT('it\\'s ?', ?) AS `odd?` # trailing?", "!").one(String.class)).isEqualTo("it's ?!");
    }
}
