package dev.txkit.it.table;

import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;
import dev.txkit.it.DbIT;
import dev.txkit.table.Change;
import dev.txkit.table.Column;
import dev.txkit.table.Id;
import dev.txkit.table.Op;
import dev.txkit.table.Table;
import dev.txkit.table.TableName;
import dev.txkit.table.Version;
import dev.txkit.testing.DbKind;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every bad record definition and every bad argument fails with INVALID_ARGUMENT naming the problem,
 * before anything is written; names with quotes or semicolons never reach SQL, values are bound.
 */
class TableBadInputIT extends DbIT {

    record Item(@Id Long id, String name, int qty, @Version Integer version) {
    }

    record Child(@Id Long id, Long itemId, String name) {
    }

    record NoId(String name) {
    }

    record TwoIds(@Id Long a, @Id Long b) {
    }

    record TwoVersions(@Id Long id, @Version int a, @Version int b) {
    }

    record TextVersion(@Id Long id, @Version String version) {
    }

    record IdIsVersion(@Id @Version Long id) {
    }

    record WithList(@Id Long id, List<String> tags) {
    }

    record WithMap(@Id Long id, Map<String, Object> attributes) {
    }

    record WithObject(@Id Long id, Object anything) {
    }

    record Nested(@Id Long id, Item item) {
    }

    record SameColumn(@Id Long id, @Column("id") String shadow) {
    }

    @TableName("item; DROP TABLE item; --")
    record InjectedTable(@Id Long id) {
    }

    @TableName("item\" --")
    record QuotedTable(@Id Long id) {
    }

    record InjectedColumn(@Id Long id, @Column("name`, `qty") String name) {
    }

    record TooLong(@Id Long id, @Column("a123456789b123456789c123456789d123456789e123456789f123456789g1234") String x) {
    }

    /** (@Id cannot even be put on a field: it only targets record components.) */
    static final class NotARecord {
        Long id;
    }

    @BeforeEach
    void table() {
        for (DbKind kind : available(DbKind.values())) {
            schema(kind).execute("DROP TABLE IF EXISTS child", "DROP TABLE IF EXISTS item",
                    "CREATE TABLE item (id " + Ddl.identity(kind) + ", name VARCHAR(100), qty INT NOT NULL,"
                            + " version INT NOT NULL)",
                    "CREATE TABLE child (id " + Ddl.identity(kind) + ", item_id BIGINT NOT NULL, name VARCHAR(100))");
        }
    }

    private long committed(DbKind kind, String table) {
        try (Connection c = schema(kind).unpooledDataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    static void invalid(ThrowableAssert.ThrowingCallable call, String... mentions) {
        assertThatThrownBy(call).isInstanceOfSatisfying(TxkitException.class, e -> {
            assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            for (String m : mentions) {
                assertThat(e.getMessage()).contains(m);
            }
        });
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void badRecordDefinitionsNameTheRecordAndComponent(DbKind kind) {
        Database db = db(kind);
        invalid(() -> db.table(NoId.class), "NoId", "no @Id");
        invalid(() -> db.table(TwoIds.class), "TwoIds", "two @Id", "'a'", "'b'");
        invalid(() -> db.table(TwoVersions.class), "TwoVersions", "two @Version", "'a'", "'b'");
        invalid(() -> db.table(TextVersion.class), "TextVersion", "'version'", "java.lang.String", "int, long");
        invalid(() -> db.table(IdIsVersion.class), "IdIsVersion", "both @Id and @Version");
        invalid(() -> db.table(WithList.class), "WithList", "'tags'", "unsupported type java.util.List");
        invalid(() -> db.table(WithMap.class), "WithMap", "'attributes'", "java.util.Map");
        invalid(() -> db.table(WithObject.class), "WithObject", "'anything'", "java.lang.Object");
        invalid(() -> db.table(Nested.class), "Nested", "'item'", "Item");
        invalid(() -> db.table(SameColumn.class), "SameColumn", "'shadow'", "column id");
        invalid(() -> db.table(NotARecord.class), "NotARecord", "is not a record");
        invalid(() -> db.table(null), "type must not be null");
        invalid(() -> db.useTransaction(tx -> tx.table(NoId.class)), "no @Id");
        assertThat(committed(kind, "item")).isZero();
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void namesWithQuotesOrSemicolonsNeverReachTheDatabase(DbKind kind) {
        Database db = db(kind);
        invalid(() -> db.table(InjectedTable.class), "@TableName of record InjectedTable", "not a valid SQL name",
                "'item; DROP TABLE item; --'");
        invalid(() -> db.table(QuotedTable.class), "not a valid SQL name");
        invalid(() -> db.table(InjectedColumn.class), "@Column", "'name");
        invalid(() -> db.table(TooLong.class), "not a valid SQL name", "at most 63");
        Table<Item> items = db.table(Item.class);
        invalid(() -> items.where("name\"; DROP TABLE item; --", "x").list(), "Item has no column", "DROP TABLE item");
        invalid(() -> items.query().orderBy("qty; DELETE FROM item").list(), "no column");
        invalid(() -> items.where("name", "x").updateAll(Change.set("name = 'x', qty", 1)), "no column");
        assertThat(committed(kind, "item")).as("the table is still there and empty").isZero();
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void valuesAreBoundSoQuotesAndSemicolonsAreJustText(DbKind kind) {
        Database db = db(kind);
        Table<Item> items = db.table(Item.class);
        String nasty = "x'); DROP TABLE item; -- \" ` \\";
        Item stored = items.insert(new Item(null, nasty, 1, null));
        assertThat(items.get(stored.id()).name()).isEqualTo(nasty);
        assertThat(items.where("name", nasty).count()).isEqualTo(1);
        assertThat(items.where("name", nasty).updateAll(Change.set("name", nasty + "2"))).isEqualTo(1);
        assertThat(committed(kind, "item")).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void badArgumentsAreInvalidAndWriteNothing(DbKind kind) {
        Database db = db(kind);
        Table<Item> items = db.table(Item.class);
        invalid(() -> items.insert(null), "Item record must not be null");
        invalid(() -> items.insertAll(null), "must not be null");
        invalid(() -> items.insertAll(Arrays.asList(new Item(null, "a", 1, null), null)), "record 1 of 2 is null");
        invalid(() -> items.find(null), "id of Item must not be null");
        invalid(() -> items.get("one"), "id of Item must be a Long", "got a String");
        invalid(() -> items.find(1.5), "whole number");
        invalid(() -> items.delete(List.of(1)), "id of Item");
        invalid(() -> items.where("qty", "many"), "column qty must be a Integer", "got a String");
        invalid(() -> items.where("qty", Op.LT, null), "NULL is never true");
        invalid(() -> items.where("qty", null, 1), "operator");
        invalid(() -> items.query().whereIn("qty", null), "must not be null");
        invalid(() -> items.query().whereIn("qty", Arrays.asList(1, null)), "contains null");
        invalid(() -> items.query().limit(-1), "limit must not be negative but was -1");
        invalid(() -> items.query().updateAll(), "at least one Change");
        invalid(() -> items.query().updateAll((Change) null), "change 0 of 1 is null");
        invalid(() -> items.query().updateAll(Change.set("id", 5L)), "cannot change the @Id");
        invalid(() -> items.query().updateAll(Change.set("version", 5)), "cannot change the @Version");
        invalid(() -> items.query().updateAll(Change.increment("name", 1)), "increment needs a numeric column");
        invalid(() -> items.query().updateAll(Change.set("qty", null)), "primitive int");
        invalid(() -> items.query().updateAll(Change.set("qty", 1), Change.increment("qty", 1)), "changed twice");
        invalid(() -> items.query().limit(3).updateAll(Change.set("qty", 1)), "remove orderBy/limit");
        invalid(() -> items.query().orderBy("qty").deleteAll(), "remove orderBy/limit");
        invalid(() -> Change.set(null, 1), "column");
        invalid(() -> Change.decrement("qty", null), "amount");
        invalid(() -> items.update(new Item(null, "a", 1, 1)), "id is null");
        invalid(() -> items.update(new Item(1L, "a", 1, null)), "@Version version is null");
        invalid(() -> items.upsert(new Item(null, "a", 1, 1)), "upsert needs the id");
        invalid(() -> db.useTransaction(tx -> tx.table(Item.class).getForUpdate(1L, null)), "RowLock");
        invalid(() -> db.useTransaction(tx -> tx.table(Item.class).query().lockFirst(null)), "RowLock");
        invalid(() -> items.insertWithChildren(null, db.table(Child.class), List.of(), (c, p) -> c), "must not be null");
        invalid(() -> items.insertWithChildren(new Item(null, "p", 1, null), null, List.of(), (c, p) -> c), "childTable");
        invalid(() -> items.insertWithChildren(new Item(null, "p", 1, null), db.table(Child.class), null, (c, p) -> c),
                "children");
        invalid(() -> items.insertWithChildren(new Item(null, "p", 1, null), db.table(Child.class),
                Arrays.asList(new Child(null, null, "a"), null), (c, p) -> c), "child 1 of 2 is null");
        // fails after the parent was inserted: the whole nested write is undone
        invalid(() -> items.insertWithChildren(new Item(null, "p", 1, null), db.table(Child.class),
                List.of(new Child(null, null, "a"), new Child(null, null, "b")),
                (c, p) -> c.name().equals("b") ? null : new Child(null, p.id(), c.name())), "link returned null for child 1");
        assertThat(committed(kind, "item")).isZero();
        assertThat(committed(kind, "child")).isZero();
    }
}
