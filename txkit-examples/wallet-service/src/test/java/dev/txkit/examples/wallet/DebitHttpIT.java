package dev.txkit.examples.wallet;

import dev.txkit.testing.Race;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Over real HTTP: 50 concurrent debits of one wallet carrying 25 idempotency keys, each sent twice
 * (a retry racing its original). Exactly one charge per key, an exact balance, both answers of a
 * key identical, and no 409: every write conflict was the service's to retry, not the user's.
 */
class DebitHttpIT extends WalletServiceTestBase {
    private static final Pattern CHARGE = Pattern.compile("\"chargeId\":(\\d+)");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> debit(String wallet, String key, long amount) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url("/wallets/" + wallet + "/debit")))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"amount\": " + amount + "}"));
        if (key != null) {
            b.header("Idempotency-Key", key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void fiftyConcurrentDebitsWithTwentyFiveKeysSentTwiceChargeOncePerKey() {
        String wallet = newWallet(1000);
        Race.Result<HttpResponse<String>> r = Race.run(50, Duration.ofSeconds(120),
                i -> debit(wallet, wallet + "-key-" + (i % 25), 10));
        List<HttpResponse<String>> answers = r.values();
        assertThat(r.failures()).isEmpty();
        assertThat(answers).extracting(HttpResponse::statusCode).as(() -> "no 409 (or 503) the user did not cause: "
                + answers.stream().filter(a -> a.statusCode() != 200).map(HttpResponse::body).toList()).containsOnly(200);
        assertThat(balance(wallet)).isEqualTo(1000 - 25 * 10);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM charge WHERE wallet_id = ?", Integer.class, wallet))
                .isEqualTo(25);
        assertThat(jdbc.queryForObject("SELECT count(DISTINCT idem_key) FROM charge WHERE wallet_id = ?", Integer.class,
                wallet)).isEqualTo(25);
        Map<Integer, String> chargeByKey = new HashMap<>();
        for (int i = 0; i < 50; i++) {
            Matcher m = CHARGE.matcher(answers.get(i).body());
            assertThat(m.find()).as(answers.get(i).body()).isTrue();
            String previous = chargeByKey.putIfAbsent(i % 25, m.group(1));
            if (previous != null) {
                assertThat(m.group(1)).as("the second request of key " + (i % 25) + " got the first one's charge")
                        .isEqualTo(previous);
            }
        }
    }

    @Test
    void refusalsAreProblemJsonAndWriteNothing() throws Exception {
        String wallet = newWallet(5);
        HttpResponse<String> poor = debit(wallet, wallet + "-too-much", 10);
        assertThat(poor.statusCode()).isEqualTo(422);
        assertThat(poor.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("problem+json"));
        assertThat(debit(wallet, null, 1).statusCode()).isEqualTo(400);
        HttpResponse<String> mismatch;
        assertThat(debit(wallet, wallet + "-k", 1).statusCode()).isEqualTo(200);
        mismatch = debit(wallet, wallet + "-k", 2); // same key, another request
        assertThat(mismatch.statusCode()).isEqualTo(422);
        assertThat(mismatch.body()).contains("\"code\":\"IDEMPOTENCY_MISMATCH\"");
        assertThat(debit("nobody", "nobody-k", 1).statusCode()).isEqualTo(404);
        assertThat(balance(wallet)).isEqualTo(4);
    }

    @Test
    void concurrentTransfersUnderSerializableAreRetriedNotRefused() throws Exception {
        String a = newWallet(500);
        String b = newWallet(500);
        Race.Result<HttpResponse<String>> r = Race.run(20, Duration.ofSeconds(120), i -> http.send(HttpRequest.newBuilder(
                        URI.create(url("/transfers"))).timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(i % 2 == 0
                        ? "{\"from\":\"" + a + "\",\"to\":\"" + b + "\",\"amount\":7}"
                        : "{\"from\":\"" + b + "\",\"to\":\"" + a + "\",\"amount\":3}")).build(),
                HttpResponse.BodyHandlers.ofString()));
        assertThat(r.failures()).isEmpty();
        assertThat(r.values()).extracting(HttpResponse::statusCode)
                .as(() -> r.values().stream().map(HttpResponse::body).toList().toString()).containsOnly(200);
        assertThat(balance(a)).isEqualTo(500 - 10 * 7 + 10 * 3);
        assertThat(balance(b)).isEqualTo(500 + 10 * 7 - 10 * 3);
    }
}
