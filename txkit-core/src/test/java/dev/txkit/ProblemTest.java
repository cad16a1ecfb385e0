package dev.txkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RFC 9457 bodies: valid JSON (parsed back with Jackson), the right members, nothing secret. */
class ProblemTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void optimisticConflictIsA409AskingToRefresh() throws IOException {
        TxkitException e = TxkitException.of(ErrorCode.OPTIMISTIC_CONFLICT,
                "Seat was modified by another user: the update expected version 3 of the row in table seat");
        Problem p = Problem.of(e);
        assertThat(p.status()).isEqualTo(409);
        assertThat(Problem.CONTENT_TYPE).isEqualTo("application/problem+json");
        JsonNode body = JSON.readTree(p.toJson());
        assertThat(body.get("type").asText()).isEqualTo("urn:txkit:problem:optimistic-conflict");
        assertThat(body.get("title").asText()).isEqualTo("Modified by another user");
        assertThat(body.get("status").asInt()).isEqualTo(409);
        assertThat(body.get("detail").asText()).isEqualTo("modified by another user; refresh and try again");
        assertThat(body.get("code").asText()).isEqualTo("OPTIMISTIC_CONFLICT");
        assertThat(body.get("retryable").asBoolean()).isFalse();
        assertThat(body.has("instance")).isFalse();
        assertThat(p.toJson()).as("the exception message (SQL, tables) stays on the server").doesNotContain("seat");
    }

    @Test
    void everyCodeRendersValidJsonWithItsStatus() throws IOException {
        for (ErrorCode code : ErrorCode.values()) {
            JsonNode body = JSON.readTree(Problem.of(code).toJson());
            assertThat(body.get("status").asInt()).isEqualTo(code.httpStatus());
            assertThat(body.get("retryable").asBoolean()).isEqualTo(code.retryable());
            assertThat(body.get("title").asText()).isNotBlank();
            assertThat(body.get("detail").asText()).isNotBlank();
            assertThat(body.get("type").asText()).startsWith("urn:txkit:problem:");
        }
        assertThat(Problem.of(ErrorCode.NOT_FOUND).status()).isEqualTo(404);
        assertThat(Problem.of(ErrorCode.ACQUIRE_TIMEOUT).status()).isEqualTo(503);
    }

    @Test
    void customDetailAndInstanceAreEscaped() throws IOException {
        String nasty = "quote \" backslash \\ newline \n tab \t nul \u0000 bell \u0007 ls \u2028 é 😀 </script>";
        Problem p = Problem.of(ErrorCode.NOT_FOUND).withDetail(nasty).withInstance("/seats/3A?x=\"y\"");
        String json = p.toJson();
        assertThat(json).doesNotContain("\n").doesNotContain("\u0000").doesNotContain("\u2028");
        JsonNode body = JSON.readTree(json);
        assertThat(body.get("detail").asText()).isEqualTo(nasty);
        assertThat(body.get("instance").asText()).isEqualTo("/seats/3A?x=\"y\"");
        assertThat(body.size()).isEqualTo(7);
    }

    @Test
    void nullsAreInvalidArguments() {
        assertThatThrownBy(() -> Problem.of((TxkitException) null)).isInstanceOf(TxkitException.class);
        assertThatThrownBy(() -> Problem.of((ErrorCode) null)).isInstanceOf(TxkitException.class);
        assertThatThrownBy(() -> Problem.of(ErrorCode.CONFLICT).withDetail(null)).isInstanceOf(TxkitException.class);
    }
}
