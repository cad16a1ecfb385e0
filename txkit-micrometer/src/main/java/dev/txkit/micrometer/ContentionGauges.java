package dev.txkit.micrometer;

import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.KeyContention;
import dev.txkit.TxkitException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;

import java.lang.ref.WeakReference;
import java.util.function.ToDoubleFunction;

/**
 * Gauges over a {@link Database}'s contention snapshot ({@link Database#contention()}): how many
 * contention keys are hot right now, and how many of their transactions are in flight and queued.
 * Summed over keys, so the tags stay low-cardinality whatever keys the application uses. The
 * gauges hold the Database weakly: a closed and dropped Database reads as 0.
 *
 * <p>Thread-safe.
 */
public final class ContentionGauges {
    /** Gauge: contention keys admitted under a limit right now. */
    public static final String HOT_KEYS = "txkit.contention.hot.keys";
    /** Gauge: transactions of hot keys running now. */
    public static final String IN_FLIGHT = "txkit.contention.in.flight";
    /** Gauge: transactions waiting for admission now (they hold no connection). */
    public static final String QUEUED = "txkit.contention.queued";

    private ContentionGauges() {
    }

    /**
     * Registers the three gauges for {@code db}.
     *
     * @param registry where the gauges go
     * @param db the Database whose {@link Database#contention()} they read, held weakly
     * @param tags extra tags on every gauge (e.g. the pool's name), or {@code null} for none
     * @throws TxkitException {@link ErrorCode#INVALID_ARGUMENT} when {@code registry} or {@code db} is {@code null}
     */
    public static void register(MeterRegistry registry, Database db, Iterable<Tag> tags) {
        if (registry == null || db == null) {
            throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "registry and db must not be null");
        }
        WeakReference<Database> ref = new WeakReference<>(db);
        Tags common = Tags.of(tags == null ? Tags.empty() : tags);
        gauge(registry, HOT_KEYS, "Contention keys currently admitted under a limit", common, ref, k -> k.hot() ? 1 : 0);
        gauge(registry, IN_FLIGHT, "Transactions of hot keys running now", common, ref, k -> k.hot() ? k.inFlight() : 0);
        gauge(registry, QUEUED, "Transactions of hot keys waiting for admission", common, ref, KeyContention::queued);
    }

    private static void gauge(MeterRegistry registry, String name, String description, Tags tags,
                              WeakReference<Database> ref, ToDoubleFunction<KeyContention> value) {
        Gauge.builder(name, ref, r -> sum(r.get(), value)).description(description).tags(tags).register(registry);
    }

    private static double sum(Database db, ToDoubleFunction<KeyContention> value) {
        if (db == null) {
            return 0;
        }
        try {
            return db.contention().stream().mapToDouble(value).sum();
        } catch (TxkitException closed) {
            return 0;
        }
    }
}
