package dev.txkit;

import java.math.BigDecimal;
import java.util.UUID;
import java.util.function.Function;

/**
 * Turns the result of an idempotent unit of work into text for the idempotency table and back, so
 * that a repeated request gets the stored result without running the work again (see
 * {@link Database#idempotent}). Codecs for common types are built in; for a record, write one from
 * two functions, e.g. {@code ResultCodec.of(r -> r.id() + ";" + r.total(), Receipt::parse)}, or
 * with the JSON library you already use.
 *
 * <p>{@code null} results are stored as SQL NULL and come back as {@code null}; the codec never sees
 * them. Implementations must be stateless and thread-safe; the built-in ones are.
 *
 * <p>When a codec misbehaves nothing is half-stored: if {@link #encode} throws, its exception reaches
 * the caller unchanged and the work is rolled back with the key (a later call runs the work again);
 * if it returns {@code null} for a non-null value the call fails with {@link ErrorCode#MISUSE} and is
 * rolled back the same way. If {@link #decode} throws on a repeat, its exception reaches the caller,
 * nothing runs and the stored result stays as it was.
 *
 * @param <R> the result type
 */
public interface ResultCodec<R> {

    /**
     * Encodes a result for storage.
     *
     * @param value the work's result; never {@code null}
     * @return the text to store; must not be null (txkit fails with MISUSE and rolls back if it is)
     */
    String encode(R value);

    /**
     * Decodes a stored result; the inverse of {@link #encode}.
     *
     * @param text what {@link #encode} returned for the first run; never {@code null}
     * @return the value {@code text} stands for
     */
    R decode(String text);

    /**
     * A codec from a pair of functions.
     *
     * @param <R> the result type
     * @param encode turns a result into text; must not return {@code null}
     * @param decode turns the text back into the result
     * @return the codec
     * @throws TxkitException {@link ErrorCode#INVALID_ARGUMENT} when either function is {@code null}
     */
    static <R> ResultCodec<R> of(Function<? super R, String> encode, Function<String, ? extends R> decode) {
        if (encode == null || decode == null) {
            throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "ResultCodec.of needs an encode and a decode function");
        }
        return new ResultCodec<>() {
            @Override
            public String encode(R value) {
                return encode.apply(value);
            }

            @Override
            public R decode(String text) {
                return decode.apply(text);
            }
        };
    }

    /** {@return a codec for strings, stored as they are} */
    static ResultCodec<String> text() {
        return of(s -> s, s -> s);
    }

    /** {@return a codec for {@code Long}s, stored in decimal} */
    static ResultCodec<Long> longs() {
        return of(String::valueOf, Long::valueOf);
    }

    /** {@return a codec for {@code Integer}s, stored in decimal} */
    static ResultCodec<Integer> integers() {
        return of(String::valueOf, Integer::valueOf);
    }

    /** {@return a codec for {@code Boolean}s, stored as {@code true} or {@code false}} */
    static ResultCodec<Boolean> booleans() {
        return of(String::valueOf, Boolean::valueOf);
    }

    /** {@return a codec for exact decimals (plain notation, scale kept)} */
    static ResultCodec<BigDecimal> decimals() {
        return of(BigDecimal::toPlainString, BigDecimal::new);
    }

    /** {@return a codec for {@code UUID}s in their standard 36-character form} */
    static ResultCodec<UUID> uuids() {
        return of(UUID::toString, UUID::fromString);
    }

    /** {@return a codec for work that returns nothing worth storing: only the fact that it ran is recorded} */
    static ResultCodec<Void> none() {
        return of(v -> "", s -> null);
    }
}
