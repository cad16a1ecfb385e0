package dev.txkit.it.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.Problem;
import dev.txkit.TxkitException;
import dev.txkit.it.DbIT;
import dev.txkit.table.Id;
import dev.txkit.table.Table;
import dev.txkit.table.Version;
import dev.txkit.testing.DbKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seed 003: a client edits a resource it read at version 1 while another user saved version 2. The
 * update is refused with OPTIMISTIC_CONFLICT, the web layer answers 409 with an RFC 9457 body
 * ("refresh and try again"), and the stored row is untouched.
 */
class StaleVersionIT extends DbIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Resource(@Id Long id, String name, String data, @Version Integer version) {
        Resource edited(String newName, String newData) {
            return new Resource(id, newName, newData, version);
        }
    }

    /** What a framework-free handler returns. */
    record HttpResponse(int status, String contentType, String body) {
    }

    /** PUT /resources/{id} with the version the client read: the seed's updateResource + global 409 handler. */
    static HttpResponse put(Database db, long id, String name, String data, int clientVersion) {
        try {
            Resource saved = db.table(Resource.class).update(new Resource(id, name, data, clientVersion));
            return new HttpResponse(200, "application/json", "{\"version\":" + saved.version() + "}");
        } catch (TxkitException e) {
            Problem p = Problem.of(e).withInstance("/resources/" + id);
            return new HttpResponse(p.status(), Problem.CONTENT_TYPE, p.toJson());
        }
    }

    @BeforeEach
    void table() {
        for (DbKind kind : available(DbKind.values())) {
            schema(kind).execute("DROP TABLE IF EXISTS resource", "CREATE TABLE resource (id " + Ddl.identity(kind)
                    + ", name VARCHAR(50) NOT NULL, data VARCHAR(200), version INT NOT NULL)");
        }
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void aStaleVersionGets409WithAProblemBodyAndTheRowStaysAsItWas(DbKind kind) throws Exception {
        Database db = db(kind);
        Table<Resource> resources = db.table(Resource.class);
        Resource created = resources.insert(new Resource(null, "plan", "{\"a\":1}", null));
        assertThat(created.version()).as("created at version 1, as in the seed").isEqualTo(1);

        Resource clientCopy = resources.get(created.id());                                  // the client reads v1
        Resource other = resources.update(clientCopy.edited("plan by Bob", "{\"b\":2}"));   // another user saves v2
        assertThat(other.version()).isEqualTo(2);

        HttpResponse response = put(db, created.id(), "plan by Alice", "{\"secret\":\"alice-token\"}", clientCopy.version());
        assertThat(response.status()).isEqualTo(409);
        assertThat(response.contentType()).isEqualTo("application/problem+json");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("status").asInt()).isEqualTo(409);
        assertThat(body.get("code").asText()).isEqualTo("OPTIMISTIC_CONFLICT");
        assertThat(body.get("detail").asText()).isEqualTo("modified by another user; refresh and try again");
        assertThat(body.get("instance").asText()).isEqualTo("/resources/" + created.id());
        assertThat(response.body()).as("no bound values in the body").doesNotContain("alice").doesNotContain("secret");

        assertThat(resources.get(created.id())).as("the stored row is unchanged").isEqualTo(other);

        HttpResponse retried = put(db, created.id(), "plan by Alice", "{}", 2); // after refreshing
        assertThat(retried.status()).isEqualTo(200);
        assertThat(resources.get(created.id()).version()).isEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void aDeletedResourceGets404(DbKind kind) {
        Database db = db(kind);
        Resource created = db.table(Resource.class).insert(new Resource(null, "gone", null, null));
        db.table(Resource.class).delete(created.id());
        HttpResponse response = put(db, created.id(), "x", null, 1);
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.body()).contains("\"code\":\"NOT_FOUND\"");
        TableCrudITSupport.assertCode(() -> db.table(Resource.class).update(created), ErrorCode.NOT_FOUND);
    }
}
