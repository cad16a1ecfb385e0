package dev.txkit.internal.jdbc;

import dev.txkit.dialect.Dialect;
import dev.txkit.dialect.Dialects;
import dev.txkit.dialect.GenericDialect;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 15 item 4: the placeholders the driver will see, per dialect, and the first words of a statement. */
class SqlScannerTest {

    private static Dialect dialect(String name) {
        switch (name) {
            case "pg":
                return Dialects.POSTGRES;
            case "maria":
                return Dialects.MARIADB;
            case "h2":
                return Dialects.H2;
            case "sqlite":
                return Dialects.SQLITE;
            default:
                return new GenericDialect("x");
        }
    }

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource(delimiter = ';', quoteCharacter = '~', value = {
            "pg     ; SELECT ? , ?                                         ; 2",
            "pg     ; INSERT INTO t VALUES (?, 'what?', \"odd?col\")         ; 1",
            "pg     ; SELECT 'it''s ?' , ?                                   ; 1",
            "pg     ; SELECT E'it\\'s ?', ?                                  ; 1",
            "pg     ; SELECT 1 -- really?\\n, ?                              ; 1",
            "pg     ; SELECT /* a /* nested? */ still? */ ?                  ; 1",
            "pg     ; SELECT $$ ? $$, $tag$ it's ? $tag$, ?                  ; 1",
            "pg     ; SELECT a$1 FROM t WHERE x = ?                          ; 1",
            "pg     ; SELECT '{\"a\":1}'::jsonb ?? 'a', doc ??| array['b'], ? ; 1",
            "pg     ; SELECT doc ?| array['b']                               ; 1",
            "maria  ; SELECT 'it\\'s ?', ?                                   ; 1",
            "maria  ; SELECT `we?ird`, ? # a comment?                        ; 1",
            "maria  ; SELECT 1 --? not a comment in MariaDB                  ; 1",
            "maria  ; SELECT 1 -- a comment?\\n, ?                           ; 1",
            "maria  ; SELECT \"dq?\", ? /*! ? */                             ; 1",
            "h2     ; SELECT ?, 'x?'                                         ; 1",
            "h2     ; SELECT ?1, ?2                                          ; -1",
            "sqlite ; SELECT ?, [br?acket], `b?t`                            ; 1",
            "sqlite ; SELECT :name, ?                                        ; -1",
            "sqlite ; SELECT ?2                                              ; -1",
            "other  ; SELECT ?, '?', \"?\" -- ?                              ; 1",
    })
    void countsPlaceholdersOutsideQuotesAndComments(String dialect, String sql, int expected) {
        assertThat(SqlScanner.placeholders(sql.replace("\\n", "\n"), dialect(dialect))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "  commit                       | COMMIT",
            "/* hi */ Rollback -- x\\n To s | ROLLBACK TO S",
            "SET @@session.autocommit=0     | SET @@SESSION.AUTOCOMMIT 0",
            "select 1                       | SELECT 1",
    })
    void leadingWordsSkipWhitespaceAndComments(String sql, String expected) {
        assertThat(SqlScanner.leadingWords(sql.replace("\\n", "\n"), 3, Dialects.MARIADB)).isEqualTo(expected);
    }
}
