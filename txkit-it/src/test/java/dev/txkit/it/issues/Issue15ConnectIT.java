package dev.txkit.it.issues;

import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;
import dev.txkit.it.DbIT;
import dev.txkit.testing.DbKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.txkit.it.issues.Issue15.failsWith;
import static dev.txkit.it.issues.Issue15.stackText;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15 items 8 and 9: {@code Database.connect} failures are TxkitExceptions — INVALID_ARGUMENT for
 * a malformed URL, CONNECTION_FAILURE with the cause and the host otherwise — and no message or
 * cause chain shows a password, in any of the URL forms.
 */
class Issue15ConnectIT extends DbIT {
    private static final String SECRET = "p4ssw0rd-s3cret";

    private static void neverShowsTheSecret(TxkitException e) {
        assertThat(e.getMessage()).doesNotContain(SECRET);
        assertThat(stackText(e)).doesNotContain(SECRET);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:nosuch://127.0.0.1/test", "jdbc:postgresql://127.0.0.1:notaport/test",
            "jdbc:mariadb://127.0.0.1:70000/test", "jdbc:postgresql://127.0.0.1:5432:5433/test", "postgresql://127.0.0.1/test"})
    void malformedUrlsAreInvalidArguments(String url) {
        TxkitException e = failsWith(ErrorCode.INVALID_ARGUMENT, () -> Database.connect(url, "u", SECRET));
        neverShowsTheSecret(e);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:postgresql://postgres:" + SECRET + "@127.0.0.1:5432/test",
            "jdbc:mariadb://root:" + SECRET + "@127.0.0.1:3306/test"})
    void credentialsInsideTheUrlAreRefusedWithoutShowingThem(String url) {
        TxkitException e = failsWith(ErrorCode.INVALID_ARGUMENT, () -> Database.connect(url));
        assertThat(e.getMessage()).contains("//***@127.0.0.1").contains("pass the user and password as arguments");
        neverShowsTheSecret(e);
    }

    @Test
    void anUnreachablePortIsAConnectionFailureNamingTheHost() {
        for (String url : new String[]{"jdbc:postgresql://127.0.0.1:1/test?password=" + SECRET + "&connectTimeout=2",
                "jdbc:mariadb://127.0.0.1:1/test?password=" + SECRET + "&connectTimeout=2000"}) {
            TxkitException e = failsWith(ErrorCode.CONNECTION_FAILURE, () -> Database.connect(url, "app", SECRET));
            assertThat(e.getMessage()).contains("127.0.0.1:1").contains("as user 'app'");
            assertThat(e.getCause()).as("the driver's reason is kept").isNotNull();
            neverShowsTheSecret(e);
        }
    }

    @Test
    void aRefusedLoginIsAConnectionFailureWithoutThePassword() {
        String maria = schema(DbKind.MARIADB).jdbcUrl();
        TxkitException wrongPassword = failsWith(ErrorCode.CONNECTION_FAILURE, () -> Database.connect(maria, "root", SECRET));
        assertThat(wrongPassword.vendorCode()).isEqualTo(1045);
        assertThat(wrongPassword.getMessage()).contains("127.0.0.1:3306").contains("Access denied");
        neverShowsTheSecret(wrongPassword);

        String pg = schema(DbKind.POSTGRES).jdbcUrl();
        TxkitException unknownRole = failsWith(ErrorCode.CONNECTION_FAILURE,
                () -> Database.connect(pg, "no_such_role_15", SECRET));
        assertThat(unknownRole.sqlState()).isEqualTo("28000");
        neverShowsTheSecret(unknownRole);
    }

    @Test
    void aBorrowedPoolWhoseUrlCarriesThePasswordDoesNotLeakItInAcquireFailures() {
        var config = new com.zaxxer.hikari.HikariConfig();
        config.setJdbcUrl("jdbc:mariadb://127.0.0.1:1/test?password=" + SECRET);
        config.setInitializationFailTimeout(-1); // start without a connection
        config.setConnectionTimeout(500);
        Database db = watch(Database.create(closeLater(new com.zaxxer.hikari.HikariDataSource(config))));
        TxkitException e = org.assertj.core.api.Assertions.catchThrowableOfType(TxkitException.class,
                () -> db.sql("SELECT 1").one(Integer.class));
        assertThat(e).isNotNull();
        neverShowsTheSecret(e);
    }
}
