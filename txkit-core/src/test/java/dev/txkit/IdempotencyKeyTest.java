package dev.txkit;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Validation and fingerprints of {@link IdempotencyKey}; round trips of the built-in {@link ResultCodec}s. */
class IdempotencyKeyTest {

    @Test
    void fingerprintIsTheSha256OfTheRequestAndDefaultsToTheEmptyRequest() {
        IdempotencyKey k = IdempotencyKey.of("order-1");
        assertThat(k.fingerprint()).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(k.withRequest("abc").fingerprint())
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(k.withRequest("abc")).isEqualTo(IdempotencyKey.of("order-1").withRequest("abc"));
        assertThat(k.withRequest("abc")).isNotEqualTo(k.withRequest("abd"));
        assertThat(k.ttl()).isEqualTo(IdempotencyKey.DEFAULT_TTL).isEqualTo(Duration.ofHours(24));
        assertThat(k.withTtl(Duration.ofMinutes(5)).ttl()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void toStringLeavesTheKeyOut() {
        assertThat(IdempotencyKey.of("customer-secretish-123").toString()).doesNotContain("secretish")
                .contains("22 chars");
    }

    @Test
    void badKeysAreRejectedNamingTheRule() {
        assertInvalid(() -> IdempotencyKey.of(null), "must not be null or blank");
        assertInvalid(() -> IdempotencyKey.of("  "), "must not be null or blank");
        assertInvalid(() -> IdempotencyKey.of("x".repeat(256)), "at most 255 characters but has 256");
        assertInvalid(() -> IdempotencyKey.of("k "), "must not start or end with whitespace");
        assertInvalid(() -> IdempotencyKey.of("k").withRequest(null), "request must not be null");
        assertInvalid(() -> IdempotencyKey.of("k").withTtl(Duration.ZERO), "ttl must be positive but was 0 ms");
        assertInvalid(() -> IdempotencyKey.of("k").withTtl(null), "ttl must not be null");
        assertThat(IdempotencyKey.of("x".repeat(255)).key()).hasSize(255);
    }

    @Test
    void builtInCodecsRoundTrip() {
        assertThat(roundTrip(ResultCodec.text(), "héllo;\n")).isEqualTo("héllo;\n");
        assertThat(roundTrip(ResultCodec.longs(), Long.MIN_VALUE)).isEqualTo(Long.MIN_VALUE);
        assertThat(roundTrip(ResultCodec.integers(), 42)).isEqualTo(42);
        assertThat(roundTrip(ResultCodec.booleans(), true)).isTrue();
        assertThat(roundTrip(ResultCodec.decimals(), new BigDecimal("1E+3"))).isEqualTo(new BigDecimal("1000"));
        assertThat(roundTrip(ResultCodec.decimals(), new BigDecimal("10.50"))).isEqualTo(new BigDecimal("10.50"));
        UUID id = UUID.randomUUID();
        assertThat(roundTrip(ResultCodec.uuids(), id)).isEqualTo(id);
        record Receipt(long id, String who) {
        }
        ResultCodec<Receipt> receipts = ResultCodec.of(r -> r.id() + ";" + r.who(),
                s -> new Receipt(Long.parseLong(s.substring(0, s.indexOf(';'))), s.substring(s.indexOf(';') + 1)));
        assertThat(roundTrip(receipts, new Receipt(7, "ann"))).isEqualTo(new Receipt(7, "ann"));
        assertInvalid(() -> ResultCodec.of(null, s -> s), "needs an encode and a decode function");
    }

    private static <R> R roundTrip(ResultCodec<R> codec, R value) {
        return codec.decode(codec.encode(value));
    }

    private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(TxkitException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(e.getMessage()).contains(message);
        });
    }
}
