package dev.txkit.micrometer;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;
import dev.txkit.retry.RetriesExhaustedException;
import dev.txkit.spi.TxAttempt;
import dev.txkit.spi.TxListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Records txkit's events as Micrometer meters. Register it on the {@code Database}:
 * {@code Database.builder(ds).listener(new TxkitMetrics(registry)).build()}.
 *
 * <p>Meters (tags are low-cardinality: an {@link ErrorCode} name, never SQL or values):
 * <ul>
 *   <li>{@value #TRANSACTION} (timer, first attempt to the end): {@code outcome} = committed |
 *       failed | unknown (COMMIT_UNKNOWN), {@code code} = the ErrorCode, {@code none} when committed,
 *       {@code application} when the callback's own exception ended it;</li>
 *   <li>{@value #ATTEMPT} (timer per attempt): {@code outcome} = committed | failed, {@code code};</li>
 *   <li>{@value #RETRIES} (counter): {@code code} of the failure that was retried;</li>
 *   <li>{@value #RETRY_BACKOFF} (timer): the backoff slept before each retry;</li>
 *   <li>{@value #GIVE_UPS} (counter): the retry policy ran out of attempts or budget, by {@code code};</li>
 *   <li>{@value #ACQUIRE} (timer): waiting for a pooled connection;</li>
 *   <li>{@value #DEADLINE_HITS} (counter): attempts ended by their timeout (TIMEOUT);</li>
 *   <li>{@value #SELF_DEADLOCKS} (counter): attempts failed with SELF_DEADLOCK;</li>
 *   <li>{@value #IDEMPOTENT_REPLAYS} (counter): idempotent calls answered from a stored result;</li>
 *   <li>{@value #PROBLEMS} (counter): failures txkit could only log (a throwing afterCommit hook).</li>
 * </ul>
 * Extra tags given to the constructor (e.g. {@code db=orders}) go on every meter.
 *
 * <p>Thread-safe; one instance may serve several {@code Database}s (then give them distinct tags
 * through separate instances if they must be told apart).
 */
public final class TxkitMetrics implements TxListener {
    /** Timer: a whole transaction, first attempt to the end, by {@code outcome} and {@code code}. */
    public static final String TRANSACTION = "txkit.transaction";
    /** Timer: one attempt, by {@code outcome} and {@code code}. */
    public static final String ATTEMPT = "txkit.attempt";
    /** Counter: retries, by the {@code code} of the failure retried. */
    public static final String RETRIES = "txkit.retries";
    /** Timer: the backoff slept before each retry. */
    public static final String RETRY_BACKOFF = "txkit.retry.backoff";
    /** Counter: transactions the retry policy gave up on, by {@code code}. */
    public static final String GIVE_UPS = "txkit.giveups";
    /** Timer: waiting for a pooled connection. */
    public static final String ACQUIRE = "txkit.connection.acquire";
    /** Counter: attempts ended by their timeout. */
    public static final String DEADLINE_HITS = "txkit.deadline.hits";
    /** Counter: attempts failed with SELF_DEADLOCK. */
    public static final String SELF_DEADLOCKS = "txkit.self.deadlocks";
    /** Counter: idempotent calls answered from a stored result. */
    public static final String IDEMPOTENT_REPLAYS = "txkit.idempotent.replays";
    /** Counter: failures txkit could only log and report (the outcome stood). */
    public static final String PROBLEMS = "txkit.problems";
    /** Time a transaction of a hot contention key waited for admission (no connection held). */
    public static final String ADMISSION_WAIT = "txkit.contention.admission.wait";
    /** Changes of a contention key's admission limit, tagged {@code direction} down, up or cold. */
    public static final String LIMIT_CHANGES = "txkit.contention.limit.changes";
    /** {@code Table.modify} calls per combined transaction (one batch, one commit). */
    public static final String COMBINED = "txkit.modify.combined";

    private final MeterRegistry registry;
    private final Tags common;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Timer acquire;
    private final Timer backoff;
    private final Counter replays;
    private final Counter problems;
    private final Timer admission;
    private final io.micrometer.core.instrument.DistributionSummary combined;

    /**
     * Meters in {@code registry} without extra tags.
     *
     * @param registry where the meters go
     * @throws TxkitException {@link ErrorCode#INVALID_ARGUMENT} for {@code null}
     */
    public TxkitMetrics(MeterRegistry registry) {
        this(registry, Tags.empty());
    }

    /**
     * Meters in {@code registry} with extra tags on every meter.
     *
     * @param registry where the meters go
     * @param tags extra tags (e.g. {@code db=orders}), or {@code null} for none
     * @throws TxkitException {@link ErrorCode#INVALID_ARGUMENT} when {@code registry} is {@code null}
     */
    public TxkitMetrics(MeterRegistry registry, Iterable<Tag> tags) {
        if (registry == null) {
            throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "registry must not be null");
        }
        this.registry = registry;
        this.common = Tags.of(tags == null ? Tags.empty() : tags);
        this.acquire = Timer.builder(ACQUIRE).description("Waiting for a pooled connection").tags(common).register(registry);
        this.backoff = Timer.builder(RETRY_BACKOFF).description("Backoff slept before a retry").tags(common).register(registry);
        this.replays = counter(IDEMPOTENT_REPLAYS, "Idempotent calls answered from the stored result", Tags.empty());
        this.problems = counter(PROBLEMS, "Failures txkit could only log (the outcome stood)", Tags.empty());
        this.admission = Timer.builder(ADMISSION_WAIT).description("Waiting for admission on a hot contention key")
                .tags(common).register(registry);
        this.combined = io.micrometer.core.instrument.DistributionSummary.builder(COMBINED)
                .description("Table.modify calls combined into one transaction").baseUnit("operations")
                .tags(common).register(registry);
        // visible (at zero) from the start, so alerts need no "absent" special case; the meters tagged
        // by code appear with their first event (one name must keep one set of tag keys)
        counter(DEADLINE_HITS, "Attempts ended by their timeout", Tags.empty());
        counter(SELF_DEADLOCKS, "Statements cancelled as a self-deadlock", Tags.empty());
    }

    @Override
    public void attemptFailed(TxAttempt attempt, ErrorCode code, Throwable failure, Duration duration) {
        timer(ATTEMPT, "One attempt of a transaction", Tags.of("outcome", "failed", "code", name(code)))
                .record(duration);
        if (code == ErrorCode.TIMEOUT) {
            counter(DEADLINE_HITS, "Attempts ended by their timeout", Tags.empty()).increment();
        } else if (code == ErrorCode.SELF_DEADLOCK) {
            counter(SELF_DEADLOCKS, "Statements cancelled as a self-deadlock", Tags.empty()).increment();
        }
    }

    @Override
    public void committed(TxAttempt attempt, Duration duration) {
        timer(ATTEMPT, "One attempt of a transaction", Tags.of("outcome", "committed", "code", "none"))
                .record(duration);
    }

    @Override
    public void retryScheduled(TxAttempt failed, Duration delay, TxkitException failure) {
        counter(RETRIES, "Attempts retried, by the failure's code", Tags.of("code", reason(failure).code().name()))
                .increment();
        backoff.record(delay);
    }

    @Override
    public void transactionFinished(TxAttempt last, Throwable failure, Duration duration) {
        String outcome;
        String code;
        if (failure == null) {
            outcome = "committed";
            code = "none";
        } else if (failure instanceof TxkitException) {
            ErrorCode c = ((TxkitException) failure).code();
            outcome = c == ErrorCode.COMMIT_UNKNOWN ? "unknown" : "failed";
            code = c.name();
            if (failure instanceof RetriesExhaustedException) {
                counter(GIVE_UPS, "Transactions the retry policy gave up on", Tags.of("code", code)).increment();
            }
        } else {
            outcome = "failed";
            code = "application";
        }
        timer(TRANSACTION, "Transactions from the first attempt to the end", Tags.of("outcome", outcome, "code", code))
                .record(duration);
    }

    @Override
    public void admissionWaited(Object key, Duration waited) {
        admission.record(waited); // no key tag: user keys such as "wallet:" + id are unbounded
    }

    @Override
    public void contentionLimitChanged(Object key, int previous, int limit) {
        String direction = limit == Integer.MAX_VALUE ? "cold" : limit < previous ? "down" : "up";
        counter(LIMIT_CHANGES, "Admission limit changes of contention keys", Tags.of("direction", direction)).increment();
    }

    @Override
    public void combined(String table, int operations, Duration duration) {
        combined.record(operations);
    }

    @Override
    public void connectionAcquired(Duration waited) {
        acquire.record(waited);
    }

    @Override
    public void idempotentReplayed() {
        replays.increment();
    }

    @Override
    public void problem(String description, Throwable failure) {
        problems.increment();
    }

    private static String name(ErrorCode code) {
        return code == null ? "application" : code.name();
    }

    /** A conflict caught by the callback surfaces as CLOSED; what was retried is the conflict. */
    private static TxkitException reason(TxkitException failure) {
        return failure.code() == ErrorCode.CLOSED && failure.getCause() instanceof TxkitException
                ? (TxkitException) failure.getCause() : failure;
    }

    private Timer timer(String name, String description, Tags tags) {
        return lookup(timers, name, tags, key -> Timer.builder(name).description(description)
                .tags(common.and(tags)).register(registry));
    }

    private Counter counter(String name, String description, Tags tags) {
        return lookup(counters, name, tags, key -> Counter.builder(name).description(description)
                .tags(common.and(tags)).register(registry));
    }

    private static <M> M lookup(Map<String, M> cache, String name, Tags tags, Function<String, M> create) {
        StringBuilder key = new StringBuilder(name);
        tags.forEach(t -> key.append('|').append(t.getValue()));
        return cache.computeIfAbsent(key.toString(), create);
    }
}
