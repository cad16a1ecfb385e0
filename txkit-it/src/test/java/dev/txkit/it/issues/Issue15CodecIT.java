package dev.txkit.it.issues;

import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.IdempotencyKey;
import dev.txkit.ResultCodec;
import dev.txkit.it.DbIT;
import dev.txkit.testing.DbKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.concurrent.atomic.AtomicInteger;

import static dev.txkit.it.issues.Issue15.failsWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 15 item 6: a ResultCodec whose encode returns null fails with MISUSE and the work is rolled
 * back with its key; a codec that throws does the same with its own exception (documented).
 */
class Issue15CodecIT extends DbIT {
    private static final ResultCodec<String> NULL_ENCODER = ResultCodec.of(s -> null, s -> s);

    @BeforeEach
    void table() {
        for (DbKind kind : available(DbKind.values())) {
            schema(kind).execute("DROP TABLE IF EXISTS charge", "CREATE TABLE charge (id INT PRIMARY KEY)");
        }
    }

    private int charges(DbKind kind) {
        return db(kind).sql("SELECT count(*) FROM charge").one(Integer.class);
    }

    @ParameterizedTest
    @EnumSource(DbKind.class)
    void anEncodeThatReturnsNullIsMisuseAndRollsTheWorkBack(DbKind kind) {
        Database db = db(kind);
        String k = "null-codec-" + kind + "-" + System.nanoTime();
        AtomicInteger ran = new AtomicInteger();
        var e = failsWith(ErrorCode.MISUSE, () -> db.idempotent(IdempotencyKey.of(k), NULL_ENCODER, tx -> {
            tx.sql("INSERT INTO charge VALUES (?)", ran.incrementAndGet()).update();
            return "receipt";
        }));
        assertThat(e.getMessage()).contains("encoded a non-null String result as null");
        assertThat(charges(kind)).as("the work was rolled back").isZero();
        assertThat(db.sql("SELECT count(*) FROM txkit_idempotency WHERE idem_key = ?", k).one(Integer.class))
                .as("the key stays unused").isZero();
        // a repeat with a sound codec runs the work (once) and then replays its result
        for (int i = 0; i < 2; i++) {
            String r = db.idempotent(IdempotencyKey.of(k), ResultCodec.text(), tx -> {
                tx.sql("INSERT INTO charge VALUES (?)", 100 + ran.incrementAndGet()).update();
                return "receipt";
            });
            assertThat(r).isEqualTo("receipt");
        }
        assertThat(charges(kind)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = DbKind.class, names = {"POSTGRES", "MARIADB"})
    void aThrowingCodecPassesItsExceptionOnAndLeavesNothingHalfStored(DbKind kind) {
        Database db = db(kind);
        String k = "throwing-codec-" + kind + "-" + System.nanoTime();
        ResultCodec<String> badEncode = ResultCodec.of(s -> {
            throw new IllegalStateException("cannot encode");
        }, s -> s);
        assertThatThrownBy(() -> db.idempotent(IdempotencyKey.of(k), badEncode, tx -> {
            tx.sql("INSERT INTO charge VALUES (1)").update();
            return "r";
        })).isInstanceOf(IllegalStateException.class).hasMessage("cannot encode");
        assertThat(charges(kind)).isZero();
        db.idempotent(IdempotencyKey.of(k), ResultCodec.text(), tx -> {
            tx.sql("INSERT INTO charge VALUES (2)").update();
            return "stored";
        });
        ResultCodec<String> badDecode = ResultCodec.of(s -> s, s -> {
            throw new IllegalArgumentException("cannot decode");
        });
        assertThatThrownBy(() -> db.idempotent(IdempotencyKey.of(k), badDecode, tx -> {
            tx.sql("INSERT INTO charge VALUES (3)").update();
            return "r";
        })).isInstanceOf(IllegalArgumentException.class).hasMessage("cannot decode");
        assertThat(charges(kind)).as("the repeat ran nothing").isEqualTo(1);
        assertThat(db.idempotent(IdempotencyKey.of(k), ResultCodec.text(), tx -> "other")).isEqualTo("stored");
    }
}
