package dev.txkit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * The key under which a unit of work runs at most once (see {@link Database#idempotent}), typically
 * the client's {@code Idempotency-Key} header. It carries a fingerprint of the request — reusing a
 * key for a different request fails with {@link ErrorCode#IDEMPOTENCY_MISMATCH} instead of
 * silently returning the other request's result — and how long the stored result is kept.
 *
 * <p>How {@code db.idempotent(options, key, codec, work)} uses the key:
 * <ul>
 *   <li>The key is claimed inside the same transaction as the work, by inserting it into the
 *       table {@code txkit_idempotency} (created on first use; DDL in the README), and the
 *       result, encoded by the {@link ResultCodec}, is stored in the same row before COMMIT. Only work
 *       that commits leaves a key behind: a failed attempt can be repeated with the same key.</li>
 *   <li>A repeat with the same key returns the stored result; a concurrent repeat waits on the
 *       key until the first commits, then returns its result. Work runs once either way.</li>
 *   <li>A repeat whose request fingerprint differs fails with
 *       {@link ErrorCode#IDEMPOTENCY_MISMATCH}; an expired key counts as unused
 *       ({@link Database#purgeExpiredIdempotencyKeys()} deletes expired keys).</li>
 *   <li>Conflicts are retried as for {@link Database#inTransaction}. If the connection is lost while
 *       COMMIT is in flight ({@link ErrorCode#COMMIT_UNKNOWN}), txkit looks the key up on a new
 *       connection: if present the committed result is returned, else the work runs once more.</li>
 * </ul>
 * Inside an enclosing transaction (REQUIRED/MANDATORY/NESTED) the key is claimed in that
 * transaction and an unknown COMMIT outcome is left to its owner.
 *
 * <p>Only a SHA-256 of the request description is kept, so request bodies never land in the
 * idempotency table. Immutable; thread-safe.
 */
public final class IdempotencyKey {
    /** How long a key and its result are kept unless {@link #withTtl} says otherwise: 24 hours. */
    public static final Duration DEFAULT_TTL = Duration.ofHours(24);
    /**
     * Longest TTL accepted: 100 years (36 500 days). Longer values are refused rather than stored: an
     * expiry computed past the range of epoch milliseconds would wrap into the past and make the key
     * count as expired, so the work would run again under the same key (issue 15).
     */
    public static final Duration MAX_TTL = Duration.ofDays(36_500);
    /** Longest key accepted (the key column is {@code VARCHAR(255)}). */
    public static final int MAX_LENGTH = 255;

    private static final String NO_REQUEST = sha256("");

    private final String key;
    private final String fingerprint;
    private final Duration ttl;

    private IdempotencyKey(String key, String fingerprint, Duration ttl) {
        this.key = key;
        this.fingerprint = fingerprint;
        this.ttl = ttl;
    }

    /**
     * A key with no request fingerprint (every use counts as the same request) and the default TTL.
     * Keys are compared exactly (case and all); they must not be blank, must not start or end with
     * whitespace (MariaDB would ignore trailing spaces) and are at most {@value #MAX_LENGTH} characters.
     *
     * @param key the caller's key, e.g. the {@code Idempotency-Key} header
     * @return the key
     * @throws TxkitException {@link ErrorCode#INVALID_ARGUMENT} for a null, blank, padded or too long key
     */
    public static IdempotencyKey of(String key) {
        if (key == null || key.isBlank()) {
            throw invalid("idempotency key must not be null or blank");
        }
        if (key.length() > MAX_LENGTH) {
            throw invalid("idempotency key must be at most " + MAX_LENGTH + " characters but has " + key.length());
        }
        if (Character.isWhitespace(key.charAt(0)) || Character.isWhitespace(key.charAt(key.length() - 1))) {
            throw invalid("idempotency key must not start or end with whitespace");
        }
        return new IdempotencyKey(key, NO_REQUEST, DEFAULT_TTL);
    }

    /**
     * This key bound to a request: {@code request} describes it (e.g. method, path and body, or the
     * command record's {@code toString()}); a later use of the key with a different description fails
     * with {@link ErrorCode#IDEMPOTENCY_MISMATCH}. Only its SHA-256 is kept.
     *
     * @param request a description of the request, exact enough to tell two requests apart
     * @return a copy of this key with the request's fingerprint
     * @throws TxkitException {@link ErrorCode#INVALID_ARGUMENT} for {@code null}
     */
    public IdempotencyKey withRequest(String request) {
        if (request == null) {
            throw invalid("request must not be null");
        }
        return new IdempotencyKey(key, sha256(request), ttl);
    }

    /**
     * How long the key and its result are kept; after that the key counts as unused. Positive and at
     * most {@link #MAX_TTL}; anything else fails with {@link ErrorCode#INVALID_ARGUMENT}.
     *
     * @param ttl how long to keep the key; default {@link #DEFAULT_TTL}
     * @return a copy of this key with the TTL
     */
    public IdempotencyKey withTtl(Duration ttl) {
        return new IdempotencyKey(key, fingerprint, DurationCheck.check("ttl", ttl, false, MAX_TTL));
    }

    /** {@return the key as the caller gave it} */
    public String key() {
        return key;
    }

    /**
     * {@return the SHA-256 of the request description, as 64 lower-case hex digits} Without
     * {@link #withRequest} it is the hash of the empty string.
     */
    public String fingerprint() {
        return fingerprint;
    }

    /** {@return how long the key and its result are kept} */
    public Duration ttl() {
        return ttl;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdempotencyKey && key.equals(((IdempotencyKey) o).key)
                && fingerprint.equals(((IdempotencyKey) o).fingerprint) && ttl.equals(((IdempotencyKey) o).ttl);
    }

    @Override
    public int hashCode() {
        return key.hashCode() * 31 + fingerprint.hashCode();
    }

    /** Leaves the key itself out: it is caller-supplied data, which txkit keeps out of logs. */
    @Override
    public String toString() {
        return "IdempotencyKey[" + key.length() + " chars, fingerprint " + fingerprint.substring(0, 8)
                + "…, ttl " + ttl + "]";
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static TxkitException invalid(String message) {
        return TxkitException.of(ErrorCode.INVALID_ARGUMENT, message);
    }
}
