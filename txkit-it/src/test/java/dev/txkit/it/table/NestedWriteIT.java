package dev.txkit.it.table;

import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;
import dev.txkit.it.DbIT;
import dev.txkit.table.Id;
import dev.txkit.table.Table;
import dev.txkit.table.TableName;
import dev.txkit.table.WithChildren;
import dev.txkit.testing.DbKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Seed 001's nested writes: a user with posts (and a team with its first member) in one call, the
 * foreign key filled from the parent's generated id, all or nothing.
 */
class NestedWriteIT extends DbIT {

    @TableName("app_user")
    record User(@Id Long id, String email) {
    }

    record Post(@Id Long id, Long authorId, String title) {
        Post by(User author) {
            return new Post(id, author.id(), title);
        }
    }

    record Team(@Id Long id, String name) {
    }

    record Member(@Id Long id, Long teamId, String email, boolean admin) {
    }

    @BeforeEach
    void tables() {
        for (DbKind kind : available(DbKind.values())) {
            schema(kind).execute("DROP TABLE IF EXISTS post", "DROP TABLE IF EXISTS app_user",
                    "DROP TABLE IF EXISTS member", "DROP TABLE IF EXISTS team",
                    "CREATE TABLE app_user (id " + Ddl.identity(kind) + ", email VARCHAR(50) NOT NULL UNIQUE)",
                    "CREATE TABLE post (id " + Ddl.identity(kind) + ", author_id BIGINT NOT NULL REFERENCES app_user (id),"
                            + " title VARCHAR(100) NOT NULL)",
                    "CREATE TABLE team (id " + Ddl.identity(kind) + ", name VARCHAR(50) NOT NULL UNIQUE)",
                    "CREATE TABLE member (id " + Ddl.identity(kind) + ", team_id BIGINT NOT NULL REFERENCES team (id),"
                            + " email VARCHAR(50) NOT NULL, admin BOOLEAN NOT NULL)");
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

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void aUserWithPostsIsWrittenTogetherWithTheForeignKeyFilledIn(DbKind kind) {
        Database db = db(kind);
        Table<User> users = db.table(User.class);
        WithChildren<User, Post> alice = users.insertWithChildren(new User(null, "alice@prisma.io"), db.table(Post.class),
                List.of(new Post(null, null, "Join the Prisma Slack"), new Post(null, null, "Follow @prisma on Twitter")),
                Post::by);
        assertThat(alice.parent().id()).isNotNull();
        assertThat(alice.children()).hasSize(2).allSatisfy(p -> {
            assertThat(p.id()).isNotNull();
            assertThat(p.authorId()).isEqualTo(alice.parent().id());
        });
        assertThat(db.table(Post.class).where("authorId", alice.parent().id()).orderBy("id").list())
                .isEqualTo(alice.children());
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void aFailureOnTheThirdChildLeavesNoParentAndNoChildren(DbKind kind) {
        Database db = db(kind);
        List<Post> posts = List.of(new Post(null, null, "one"), new Post(null, null, "two"),
                new Post(null, null, null) /* title NOT NULL */, new Post(null, null, "four"));
        assertThatThrownBy(() -> db.table(User.class).insertWithChildren(new User(null, "imani@prisma.io"),
                db.table(Post.class), posts, Post::by)).isInstanceOfSatisfying(TxkitException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CONSTRAINT_VIOLATION));
        assertThat(committed(kind, "app_user")).isZero();
        assertThat(committed(kind, "post")).isZero();
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void insideAnOuterTransactionAFailedNestedWriteUndoesOnlyItself(DbKind kind) {
        Database db = db(kind);
        db.useTransaction(tx -> {
            tx.table(User.class).insert(new User(null, "outer@prisma.io"));
            assertThatThrownBy(() -> tx.table(Team.class).insertWithChildren(new Team(null, "Aurora Adventures"),
                    tx.table(Member.class), List.of(new Member(null, null, "alice@prisma.io", true),
                            new Member(null, null, "bob@prisma.io", false), new Member(null, null, null, false)),
                    (m, team) -> new Member(m.id(), team.id(), m.email(), m.admin())))
                    .isInstanceOf(TxkitException.class);
            assertThat(tx.table(Team.class).count()).isZero();
            // the outer transaction is still usable: the nested write was undone to its savepoint
            tx.table(User.class).insert(new User(null, "outer2@prisma.io"));
        });
        assertThat(committed(kind, "app_user")).isEqualTo(2);
        assertThat(committed(kind, "team")).isZero();
        assertThat(committed(kind, "member")).isZero();
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void aTeamWithItsFirstMemberTheSlackSignUp(DbKind kind) {
        Database db = db(kind);
        WithChildren<Team, Member> aurora = db.table(Team.class).insertWithChildren(new Team(null, "Aurora Adventures"),
                db.table(Member.class), List.of(new Member(null, null, "alice@prisma.io", true)),
                (m, team) -> new Member(m.id(), team.id(), m.email(), m.admin()));
        assertThat(aurora.children().get(0).teamId()).isEqualTo(aurora.parent().id());
        // signing up again fails on the unique team name, and adds no second member
        assertThatThrownBy(() -> db.table(Team.class).insertWithChildren(new Team(null, "Aurora Adventures"),
                db.table(Member.class), List.of(new Member(null, null, "eve@prisma.io", true)),
                (m, team) -> new Member(m.id(), team.id(), m.email(), m.admin())))
                .isInstanceOfSatisfying(TxkitException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNIQUE_VIOLATION));
        assertThat(committed(kind, "member")).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void insertAllIsAllOrNothing(DbKind kind) {
        Database db = db(kind);
        assertThatThrownBy(() -> db.table(User.class).insertAll(List.of(new User(null, "a@x"), new User(null, "b@x"),
                new User(null, "a@x")))).isInstanceOf(TxkitException.class);
        assertThat(committed(kind, "app_user")).isZero();
        assertThat(db.table(User.class).insertAll(List.of(new User(null, "a@x"), new User(10L, "b@x")))).isEqualTo(2);
        assertThat(committed(kind, "app_user")).isEqualTo(2);
    }
}
