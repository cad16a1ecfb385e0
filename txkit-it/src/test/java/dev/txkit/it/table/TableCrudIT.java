package dev.txkit.it.table;

import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.Transaction;
import dev.txkit.TxkitException;
import dev.txkit.it.DbIT;
import dev.txkit.table.Change;
import dev.txkit.table.Column;
import dev.txkit.table.Id;
import dev.txkit.table.Op;
import dev.txkit.table.Table;
import dev.txkit.table.TableName;
import dev.txkit.table.UpdateResult;
import dev.txkit.table.Version;
import dev.txkit.testing.DbKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The table operations on every database: generated ids, versions, criteria, bulk writes, upsert. */
class TableCrudIT extends DbIT {

    enum Status { FREE, TAKEN }

    record Seat(@Id Long id, String label, Status status, @Version Integer version) {
        Seat withStatus(Status s) {
            return new Seat(id, label, s, version);
        }
    }

    @TableName("wallet")
    record Purse(@Id String id, @Column("balance") long money, BigDecimal limitAmount, @Version long version) {
        Purse withMoney(long m) {
            return new Purse(id, m, limitAmount, version);
        }
    }

    /** No version: last writer wins; "user" and "order" are keywords, quoted by txkit. */
    @TableName("user")
    record User(@Id Long id, String order) {
    }

    @BeforeEach
    void tables() {
        for (DbKind kind : available(DbKind.values())) {
            schema(kind).execute("DROP TABLE IF EXISTS seat", "DROP TABLE IF EXISTS wallet",
                    kind == DbKind.MARIADB ? "DROP TABLE IF EXISTS `user`" : "DROP TABLE IF EXISTS \"" + (kind == DbKind.H2 ? "USER" : "user") + "\"",
                    "CREATE TABLE seat (id " + Ddl.identity(kind) + ", label VARCHAR(10) NOT NULL UNIQUE,"
                            + " status VARCHAR(10) NOT NULL, version INT NOT NULL)",
                    "CREATE TABLE wallet (id VARCHAR(20) PRIMARY KEY, balance BIGINT NOT NULL,"
                            + " limit_amount DECIMAL(10,2), version BIGINT NOT NULL)",
                    kind == DbKind.MARIADB ? "CREATE TABLE `user` (id BIGINT PRIMARY KEY, `order` VARCHAR(20))"
                            : "CREATE TABLE \"" + (kind == DbKind.H2 ? "USER" : "user") + "\" (id BIGINT PRIMARY KEY, \""
                            + (kind == DbKind.H2 ? "ORDER" : "order") + "\" VARCHAR(20))");
        }
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void insertFillsGeneratedIdAndStartsVersionAtOne(DbKind kind) {
        Table<Seat> seats = db(kind).table(Seat.class);
        Seat a = seats.insert(new Seat(null, "A1", Status.FREE, null));
        Seat b = seats.insert(new Seat(null, "A2", Status.FREE, 0));
        Seat c = seats.insert(new Seat(100L, "A3", Status.TAKEN, 7));
        assertThat(a.id()).isNotNull();
        assertThat(b.id()).isGreaterThan(a.id());
        assertThat(a.version()).isEqualTo(1);
        assertThat(b.version()).isEqualTo(1);
        assertThat(c).isEqualTo(new Seat(100L, "A3", Status.TAKEN, 7));
        assertThat(seats.get(a.id())).isEqualTo(a);
        assertThat(seats.find(c.id())).contains(c);
        assertThat(seats.find(999_999L)).isEmpty();
        assertThat(seats.count()).isEqualTo(3);
        assertThatThrownBy(() -> seats.get(999_999L)).isInstanceOfSatisfying(TxkitException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
            assertThat(e.httpStatus()).isEqualTo(404);
            assertThat(e.getMessage()).contains("Seat").doesNotContain("999999");
        });
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void namesFromAnnotationsAndKeywordsAreQuoted(DbKind kind) {
        Table<Purse> purses = db(kind).table(Purse.class);
        Purse p = purses.insert(new Purse("alice", 100, new BigDecimal("12.50"), 0));
        assertThat(purses.name()).isEqualTo("wallet");
        assertSamePurse(purses.get("alice"), p);
        assertThat(purses.where("money", 100).list()).hasSize(1);
        assertThat(purses.where("balance", Op.GE, 100).count()).as("column name works too").isEqualTo(1);
        Table<User> users = db(kind).table(User.class);
        users.insert(new User(1L, "first"));
        assertThat(users.get(1L).order()).isEqualTo("first");
        assertThat(users.where("order", "first").count()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void criteriaOrderAndLimit(DbKind kind) {
        Table<Seat> seats = db(kind).table(Seat.class);
        int n = seats.insertAll(List.of(new Seat(null, "B3", Status.FREE, null), new Seat(null, "B1", Status.FREE, null),
                new Seat(null, "B2", Status.TAKEN, null), new Seat(50L, "B4", Status.FREE, null)));
        assertThat(n).isEqualTo(4);
        assertThat(seats.where("status", Status.FREE).orderBy("label").limit(2).list())
                .extracting(Seat::label).containsExactly("B1", "B3");
        assertThat(seats.where("status", Status.FREE).orderByDesc("label").first()).map(Seat::label).contains("B4");
        assertThat(seats.query().whereIn("label", Set.of("B2", "B4")).count()).isEqualTo(2);
        assertThat(seats.query().whereIn("label", Set.of()).list()).isEmpty();
        assertThat(seats.where("label", Op.NE, "B1").where("status", Op.EQ, Status.FREE).count()).isEqualTo(2);
        assertThat(seats.where("label", Op.LT, "B3").count()).isEqualTo(2);
        assertThat(seats.where("label", null).count()).isZero();
        assertThat(seats.where("label", Op.NE, null).count()).isEqualTo(4);
        assertThat(seats.query().list()).allSatisfy(s -> assertThat(s.version()).isEqualTo(1));
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void updateChecksTheVersionAndReturnsTheNewOne(DbKind kind) {
        Table<Seat> seats = db(kind).table(Seat.class);
        Seat s = seats.insert(new Seat(null, "C1", Status.FREE, null));
        Seat taken = seats.update(s.withStatus(Status.TAKEN));
        assertThat(taken.version()).isEqualTo(2);
        assertThat(seats.get(s.id())).isEqualTo(taken);

        assertThatThrownBy(() -> seats.update(s.withStatus(Status.FREE))).isInstanceOfSatisfying(TxkitException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.OPTIMISTIC_CONFLICT);
            assertThat(e.httpStatus()).isEqualTo(409);
        });
        assertThat(seats.tryUpdate(s.withStatus(Status.FREE))).isEqualTo(new UpdateResult.Conflict<>(taken));
        UpdateResult<Seat> ok = seats.tryUpdate(taken.withStatus(Status.FREE));
        assertThat(ok).isInstanceOfSatisfying(UpdateResult.Updated.class,
                u -> assertThat(((Seat) u.record()).version()).isEqualTo(3));

        Seat ghost = new Seat(424_242L, "C9", Status.FREE, 1);
        assertThat(seats.tryUpdate(ghost)).isEqualTo(new UpdateResult.NotFound<>());
        assertThatThrownBy(() -> seats.update(ghost)).isInstanceOfSatisfying(TxkitException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(seats.get(s.id()).version()).isEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void updateWithoutVersionIsLastWriterWins(DbKind kind) {
        Table<User> users = db(kind).table(User.class);
        users.insert(new User(1L, "a"));
        assertThat(users.update(new User(1L, "b"))).isEqualTo(new User(1L, "b"));
        assertThat(users.tryUpdate(new User(2L, "c"))).isEqualTo(new UpdateResult.NotFound<>());
        assertThat(users.get(1L).order()).isEqualTo("b");
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void bulkUpdateIsAtomicAndBumpsVersions(DbKind kind) {
        Table<Purse> purses = db(kind).table(Purse.class);
        purses.insertAll(List.of(new Purse("a", 100, null, 0), new Purse("b", 50, null, 0), new Purse("c", 10, null, 0)));
        int n = purses.where("money", Op.GE, 50).updateAll(Change.decrement("money", 30), Change.set("limitAmount", new BigDecimal("5")));
        assertThat(n).isEqualTo(2);
        assertSamePurse(purses.get("a"), new Purse("a", 70, new BigDecimal("5.00"), 2));
        assertThat(purses.get("c")).isEqualTo(new Purse("c", 10, null, 1));
        assertThat(purses.where("id", "c").updateAll(Change.increment("money", 5))).isEqualTo(1);
        assertThat(purses.get("c").money()).isEqualTo(15);
        assertThat(purses.where("id", "nobody").updateAll(Change.increment("money", 5))).isZero();
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void deleteByIdAndByCriteria(DbKind kind) {
        Table<Seat> seats = db(kind).table(Seat.class);
        Seat a = seats.insert(new Seat(null, "D1", Status.FREE, null));
        seats.insert(new Seat(null, "D2", Status.TAKEN, null));
        seats.insert(new Seat(null, "D3", Status.TAKEN, null));
        assertThat(seats.delete(a.id())).isTrue();
        assertThat(seats.delete(a.id())).isFalse();
        assertThat(seats.where("status", Status.TAKEN).deleteAll()).isEqualTo(2);
        assertThat(seats.count()).isZero();
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void upsertInsertsThenUpdatesAndBumpsTheVersion(DbKind kind) {
        Table<Purse> purses = db(kind).table(Purse.class);
        Purse first = purses.upsert(new Purse("u", 10, null, 0));
        assertThat(first).isEqualTo(new Purse("u", 10, null, 1));
        Purse second = purses.upsert(new Purse("u", 20, new BigDecimal("1.00"), 1));
        assertSamePurse(second, new Purse("u", 20, new BigDecimal("1.00"), 2));
        assertThat(purses.count()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void tableOfTheDatabaseJoinsTheScopeAndRollsBackWithIt(DbKind kind) {
        Database db = db(kind);
        Table<Seat> seats = db.table(Seat.class);
        assertThatThrownBy(() -> db.useTransaction(tx -> {
            seats.insert(new Seat(null, "E1", Status.FREE, null));
            tx.table(Seat.class).insert(new Seat(null, "E2", Status.FREE, null));
            assertThat(seats.count()).isEqualTo(2);
            throw new IllegalStateException("undo");
        })).hasMessage("undo");
        assertThat(seats.count()).isZero();
        try (Transaction tx = db.begin()) {
            Table<Seat> bound = tx.table(Seat.class);
            bound.insert(new Seat(null, "E3", Status.FREE, null));
            tx.commit();
        }
        assertThat(seats.find(1L).or(() -> seats.where("label", "E3").first())).map(Seat::label).isEqualTo(Optional.of("E3"));
    }

    /** SQLite keeps DECIMAL as REAL, so 12.50 comes back as 12.5: compare numerically. */
    static void assertSamePurse(Purse actual, Purse expected) {
        assertThat(actual).usingRecursiveComparison()
                .withComparatorForType(BigDecimal::compareTo, BigDecimal.class).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "H2"})
    void joinedScopesAndStrictMode(DbKind kind) {
        Database db = db(kind);
        db.useTransaction(outer -> db.useTransaction(inner -> inner.table(Seat.class)
                .insert(new Seat(null, "F1", Status.FREE, null))));
        assertThat(db.table(Seat.class).count()).isEqualTo(1);

        Database strict = watch(Database.builder(schema(kind).newPool(2)).strict(true).build());
        TableCrudITSupport.assertCode(() -> strict.useTransaction(tx -> strict.table(Seat.class).count()),
                ErrorCode.MISUSE);
        TableCrudITSupport.assertCode(() -> strict.useTransaction(tx -> strict.table(Seat.class)
                .insertAll(List.of(new Seat(null, "F2", Status.FREE, null)))), ErrorCode.MISUSE);
        strict.useTransaction(tx -> tx.table(Seat.class).insertAll(List.of(new Seat(null, "F3", Status.FREE, null))));
        assertThat(db.table(Seat.class).count()).isEqualTo(2);
    }
}
