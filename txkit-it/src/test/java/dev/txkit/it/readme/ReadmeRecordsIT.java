package dev.txkit.it.readme;

import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.Problem;
import dev.txkit.TxkitException;
import dev.txkit.it.DbIT;
import dev.txkit.retry.RetryPolicy;
import dev.txkit.table.Change;
import dev.txkit.table.Id;
import dev.txkit.table.RowLock;
import dev.txkit.table.Table;
import dev.txkit.table.TableName;
import dev.txkit.table.UpdateResult;
import dev.txkit.table.Version;
import dev.txkit.testing.DbKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The README's "Records and concurrency control" block, statement by statement, on PostgreSQL and
 * MariaDB (the databases with {@code SKIP LOCKED} queues); what each line's comment claims is
 * asserted after it.
 */
class ReadmeRecordsIT extends DbIT {
    // tag::records[]
    record Seat(@Id Long id, String label, String claimedBy, @Version int version) {
        Seat claimBy(String who) { return new Seat(id, label, who, version); }
    }
    // end::records[]

    record Wallet(@Id String id, long balance, @Version int version) {
        Wallet minus(long amount) {
            return new Wallet(id, balance - amount, version);
        }
    }

    @TableName("app_user")
    record User(@Id Long id, String email) {
    }

    record Post(@Id Long id, Long authorId, String title) {
        Post by(User author) {
            return new Post(id, author.id(), title);
        }
    }

    record Resource(@Id Long id, String body, @Version int version) {
        Resource withBody(String text) {
            return new Resource(id, text, version);
        }
    }

    record Response(int status, String contentType, String body) {
    }

    private final List<Seat> shown = new ArrayList<>();
    private final List<Response> responses = new ArrayList<>();

    private void show(Seat current) {
        shown.add(current);
    }

    private void respond(int status, String contentType, String body) {
        responses.add(new Response(status, contentType, body));
    }

    @BeforeEach
    void tables() {
        for (DbKind kind : available(DbKind.POSTGRES, DbKind.MARIADB)) {
            String identity = Ddl.identity(kind);
            schema(kind).execute("DROP TABLE IF EXISTS seat", "DROP TABLE IF EXISTS wallet", "DROP TABLE IF EXISTS post",
                    "DROP TABLE IF EXISTS app_user", "DROP TABLE IF EXISTS resource",
                    "CREATE TABLE seat (id " + identity + ", label VARCHAR(10) NOT NULL, claimed_by VARCHAR(20),"
                            + " version INT NOT NULL)",
                    "CREATE TABLE wallet (id VARCHAR(10) PRIMARY KEY, balance BIGINT NOT NULL, version INT NOT NULL)",
                    "CREATE TABLE app_user (id " + identity + ", email VARCHAR(50) NOT NULL UNIQUE)",
                    "CREATE TABLE post (id " + identity + ", author_id BIGINT NOT NULL REFERENCES app_user (id),"
                            + " title VARCHAR(100) NOT NULL)",
                    "CREATE TABLE resource (id " + identity + ", body VARCHAR(100) NOT NULL, version INT NOT NULL)",
                    "INSERT INTO wallet VALUES ('alice', 1000, 1)");
        }
        shown.clear();
        responses.clear();
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void theRecordsBlockDoesWhatItsCommentsSay(DbKind kind) {
        Database db = db(kind);
        db.table(Seat.class).insert(new Seat(null, "3B", null, 0)); // the free seat the queue line finds
        Table<User> users = db.table(User.class);
        User user = new User(null, "sorcha@example.com");
        List<Post> posts = List.of(new Post(null, null, "first"), new Post(null, null, "second"));
        Table<Resource> resources = db.table(Resource.class);
        Resource read = resources.insert(new Resource(null, "draft", 0));
        resources.update(read.withBody("saved by another user"));
        Resource fromClient = read.withBody("saved from a stale form");

        // tag::records[]
        Table<Seat> seats = db.table(Seat.class);

        Seat s = seats.insert(new Seat(null, "3A", null, 0));             // generated id filled in, version 1
        seats.update(s.claimBy("sorcha"));                                 // where id = ? and version = ?; version 2
        // end::records[]
        Throwable stale = catchThrowable(() -> {
            // tag::records[]
            seats.update(s.claimBy("ellen"));                                  // stale: OPTIMISTIC_CONFLICT (HTTP 409)
            // end::records[]
        });
        // tag::records[]
        if (seats.tryUpdate(s.claimBy("ellen")) instanceof UpdateResult.Conflict<Seat> c) { show(c.current()); }

        // Read-modify-write, re-run on conflict (each attempt its own transaction); after a conflict the
        // retried reads lock the row (FOR UPDATE), so a hot row cannot livelock.
        Wallet w = db.optimistic(RetryPolicy.defaults(), tx -> {
            Table<Wallet> wallets = tx.table(Wallet.class);
            return wallets.update(wallets.get("alice").minus(100));
        });

        // end::records[]
        Table<Wallet> wallets = db.table(Wallet.class); // declared here: the lambda above has its own `wallets`
        // tag::records[]
        wallets.where("id", "alice").updateAll(Change.decrement("balance", 100));   // atomic, returns the count
        // end::records[]
        long id = s.id();
        db.useTransaction(tx -> {
            // tag::records[]
            Optional<Seat> next = seats.where("claimedBy", null).orderBy("label").lockFirst(RowLock.SKIP_LOCKED); // a seat queue (in a tx)
            Seat locked = seats.getForUpdate(id, RowLock.NOWAIT);              // LOCK_TIMEOUT at once if held
            // end::records[]
            assertThat(next).map(Seat::label).contains("3B");
            assertThat(locked.claimedBy()).isEqualTo("sorcha");
        });
        // tag::records[]
        users.insertWithChildren(user, db.table(Post.class), posts, Post::by);     // parent + children, all or nothing

        try {
            resources.update(fromClient);                                  // carries the version the client read
        } catch (TxkitException e) {                                       // RFC 9457 body, no bound values
            Problem p = Problem.of(e);                                     // 409: "modified by another user; refresh and try again"
            respond(p.status(), Problem.CONTENT_TYPE, p.toJson());
        }
        // end::records[]

        assertThat(s.id()).isNotNull();
        assertThat(s.version()).isEqualTo(1);
        assertThat(stale).isInstanceOfSatisfying(TxkitException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.OPTIMISTIC_CONFLICT);
            assertThat(e.httpStatus()).isEqualTo(409);
        });
        assertThat(shown).containsExactly(new Seat(s.id(), "3A", "sorcha", 2));
        assertThat(seats.get(s.id())).isEqualTo(new Seat(s.id(), "3A", "sorcha", 2));
        assertThat(w).isEqualTo(new Wallet("alice", 900, 2));
        assertThat(wallets.get("alice")).isEqualTo(new Wallet("alice", 800, 3));
        long author = db.sql("SELECT id FROM app_user WHERE email = ?", "sorcha@example.com").one(Long.class);
        assertThat(db.sql("SELECT author_id FROM post").list(Long.class)).containsExactly(author, author);
        assertThat(responses).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(409);
            assertThat(r.contentType()).isEqualTo("application/problem+json");
            assertThat(r.body()).contains("modified by another user; refresh and try again")
                    .doesNotContain("saved from a stale form");
        });
        assertThat(resources.get(read.id()).body()).isEqualTo("saved by another user");
    }
}
