package dev.txkit;

import dev.txkit.dialect.Dialect;
import dev.txkit.dialect.Dialects;
import dev.txkit.table.Id;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code db.sql} and {@code db.table} bind a UUID the same way on every dialect (issue 9: on
 * CockroachDB one bound it as text and the other natively), as the dialect says. Runs on H2 (which
 * takes both forms) with the dialect set by hand, recording which JDBC setter each path used.
 */
class UuidBindingTest {
    record Tag(@Id Long id, UUID ref) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"CockroachDB", "PostgreSQL", "H2", "MariaDB", "SQLite"})
    void sqlAndTableBindAUuidAlike(String product) {
        Dialect dialect = List.of(Dialects.COCKROACH, Dialects.POSTGRES, Dialects.H2, Dialects.MARIADB, Dialects.SQLITE)
                .stream().filter(d -> d.name().equals(product)).findFirst().orElseThrow();
        List<String> setters = new CopyOnWriteArrayList<>();
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:uuid-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Database db = Database.builder(recording(h2, setters)).dialect(dialect).build();
        try {
            String table = dialect.quoteAsStored("tag");
            db.sql("CREATE TABLE " + table + " (" + dialect.quoteAsStored("id") + " BIGINT PRIMARY KEY, "
                    + dialect.quoteAsStored("ref") + " UUID)").update();
            setters.clear();
            UUID ref = UUID.randomUUID();
            db.sql("INSERT INTO " + table + " VALUES (?, ?)", 1L, ref).update();
            List<String> bySql = List.copyOf(setters);
            setters.clear();
            db.table(Tag.class).insert(new Tag(2L, ref));
            List<String> byTable = List.copyOf(setters);

            String expected = dialect.bindsUuidNatively() ? "setObject(UUID)" : "setString";
            assertThat(bySql).containsExactly(expected);
            assertThat(byTable).containsExactly(expected);
            assertThat(db.sql("SELECT COUNT(*) FROM " + table + " WHERE " + dialect.quoteAsStored("ref") + " = ?", ref)
                    .one(Long.class)).isEqualTo(2L);
        } finally {
            db.close();
        }
    }

    /** CockroachDB has a native UUID type and PgJDBC binds it, as on PostgreSQL; the string form was the odd one. */
    @org.junit.jupiter.api.Test
    void cockroachBindsUuidsNativelyLikePostgres() {
        assertThat(Dialects.COCKROACH.bindsUuidNatively()).isTrue();
        assertThat(Dialects.POSTGRES.bindsUuidNatively()).isTrue();
    }

    /** {@code ds}, with the UUID arguments its prepared statements receive noted in {@code setters}. */
    private static DataSource recording(JdbcDataSource ds, List<String> setters) {
        return (DataSource) Proxy.newProxyInstance(UuidBindingTest.class.getClassLoader(), new Class<?>[]{DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(ds, method, args);
                    return result instanceof Connection ? connection((Connection) result, setters) : result;
                });
    }

    private static Connection connection(Connection c, List<String> setters) {
        return (Connection) Proxy.newProxyInstance(UuidBindingTest.class.getClassLoader(), new Class<?>[]{Connection.class},
                (proxy, method, args) -> {
                    Object result = invoke(c, method, args);
                    return result instanceof PreparedStatement ? statement((PreparedStatement) result, setters) : result;
                });
    }

    private static PreparedStatement statement(PreparedStatement ps, List<String> setters) {
        return (PreparedStatement) Proxy.newProxyInstance(UuidBindingTest.class.getClassLoader(),
                new Class<?>[]{PreparedStatement.class}, (proxy, method, args) -> {
                    if (method.getName().equals("setObject") && args[1] instanceof UUID) {
                        setters.add("setObject(UUID)");
                    } else if (method.getName().equals("setString") && args[1] != null
                            && args[1].toString().matches("[0-9a-f]{8}-[0-9a-f-]{27}")) {
                        setters.add("setString");
                    }
                    return invoke(ps, method, args);
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
