package dev.txkit.benchmarks;

import dev.txkit.Database;
import dev.txkit.Transaction;
import dev.txkit.TxOptions;
import dev.txkit.spi.ContextStorage;
import org.h2.jdbcx.JdbcDataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What resolving the ambient transaction costs per call: the lookup every routed {@code db.sql},
 * {@code db.inTransaction} and {@code db.dataSource().getConnection()} makes, against reading the
 * transaction from a field (what passing {@code tx} around costs). Seed 002 measured a JavaScript
 * Proxy at 185 ns against 31 ns direct; the target here is 10 ns or less.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AmbientLookupBenchmark {
    private Database db;
    private ContextStorage.Slot<Object> slot;
    private Transaction tx;
    private Object held;

    @Setup(Level.Trial)
    public void begin() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:lookup;DB_CLOSE_DELAY=-1");
        db = Database.create(h2);
        // the same kind of slot the Database keeps its ambient transaction in, read the same way
        slot = ContextStorage.threadLocal().newSlot("lookup");
        // bound to this benchmark thread's scope; the timeout outlives the trial
        tx = db.begin(TxOptions.defaults().withTimeout(Duration.ofHours(1)));
        slot.set(tx);
        held = tx;
    }

    @TearDown(Level.Trial)
    public void end() {
        slot.set(null);
        tx.rollback();
        db.close();
    }

    /** The lookup itself: a transaction from a ContextStorage slot (a ThreadLocal), as the Database does it. */
    @Benchmark
    public Object ambientLookup() {
        return slot.get();
    }

    /** The public question "am I in a transaction?", same lookup plus a null check. */
    @Benchmark
    public boolean inScope() {
        return db.inScope();
    }

    /** The baseline: the transaction read from a field, as code that passes {@code tx} around does. */
    @Benchmark
    public Object directField() {
        return held;
    }
}
