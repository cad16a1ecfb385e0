package dev.txkit.testing;

import com.zaxxer.hikari.HikariDataSource;
import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.Propagation;
import dev.txkit.Transaction;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.time.Duration;
import java.util.List;

/**
 * JUnit 5 extension that gives each test class a throw-away database and a txkit {@link Database} on
 * it, runs every test inside a transaction that is rolled back afterwards (so tests cannot see each
 * other's writes), and fails a test that leaves a transaction, a bound scope or a borrowed connection
 * behind ({@link Leaks}).
 * <pre>{@code
 * @RegisterExtension
 * static final TxkitExtension TXKIT = TxkitExtension.on(DbKind.POSTGRES)
 *         .setup("CREATE TABLE seat (id BIGINT PRIMARY KEY, status VARCHAR(10), version INT)");
 *
 * @Test
 * void booksASeat(Database db) {            // or TXKIT.db()
 *     db.table(Seat.class).insert(...);     // joins the test's transaction: gone after the test
 * }
 * }</pre>
 * Everything that joins the scope's transaction is rolled back: {@code db.sql}, {@code db.table},
 * {@code db.inTransaction} with the default REQUIRED propagation, {@code db.dataSource()}. Work on
 * other threads or with REQUIRES_NEW commits for real; mark such tests {@link NoRollback} and list
 * clean-up statements with {@link #cleanUp(String...)}. A test that runs {@link Race#run} or
 * {@link Race#interleave()} is failed unless it is {@link NoRollback} and clean-up statements exist:
 * the actors' commits would otherwise leak into later tests. The databases come from configuration
 * (see {@link TestDatabases}: {@code txkit.postgres.url}, {@code txkit.mariadb.address}, … as system
 * properties or environment variables). One extension resolves {@code Database} and
 * {@link TestDatabase} parameters; with several (several databases), use {@link #db()} instead.
 *
 * <p>Register it in a {@code static} field (or an instance field of a {@code @TestInstance(PER_CLASS)}
 * class) so the database is created once per class and dropped after it. Configure before use; not
 * meant to be shared between classes.
 */
public final class TxkitExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback,
        ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TxkitExtension.class);
    private static final String RACES = "races started before the test";

    private final DbKind kind;
    private String[] setup = new String[0];
    private String[] cleanUp = new String[0];
    private int poolSize = 10;
    private Duration testTimeout = Duration.ofSeconds(60);
    private volatile State state;

    private TxkitExtension(DbKind kind) {
        this.kind = kind;
    }

    /**
     * An extension for a throw-away database of {@code kind}, created before the class's first test.
     *
     * @param kind the engine; MariaDB tests are skipped when it is unreachable (unless required)
     * @return the extension, to configure and register with {@code @RegisterExtension}
     * @throws TxkitException {@link ErrorCode#INVALID_ARGUMENT} for {@code null}
     */
    public static TxkitExtension on(DbKind kind) {
        if (kind == null) {
            throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "kind must not be null");
        }
        return new TxkitExtension(kind);
    }

    /**
     * Statements run once, after the database is created (DDL, reference data).
     *
     * @param sql the statements, in order
     * @return this extension
     */
    public TxkitExtension setup(String... sql) {
        this.setup = sql.clone();
        return this;
    }

    /**
     * Statements run after every {@link NoRollback} test, e.g. {@code DELETE FROM seat}.
     *
     * @param sql the statements, in order
     * @return this extension
     */
    public TxkitExtension cleanUp(String... sql) {
        this.cleanUp = sql.clone();
        return this;
    }

    /**
     * The size of the class's pool. Default 10.
     *
     * @param size at least 1
     * @return this extension
     * @throws TxkitException {@link ErrorCode#INVALID_ARGUMENT} when below 1
     */
    public TxkitExtension poolSize(int size) {
        if (size < 1) {
            throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "poolSize must be at least 1 but was " + size);
        }
        this.poolSize = size;
        return this;
    }

    /**
     * The timeout of the rolled-back transaction around each test. Default 60 s.
     *
     * @param timeout positive, at most 365 days
     * @return this extension
     * @throws TxkitException {@link ErrorCode#INVALID_ARGUMENT} for a null, non-positive or too long timeout
     */
    public TxkitExtension testTimeout(Duration timeout) {
        this.testTimeout = timeout;
        TxOptions.defaults().withTimeout(timeout); // validates
        return this;
    }

    /**
     * {@return the Database of this class (available from beforeAll on)}
     *
     * @throws IllegalStateException before the extension has started
     */
    public Database db() {
        return started().db;
    }

    /**
     * {@return the throw-away database itself (JDBC URL, unpooled connections, setup SQL)}
     *
     * @throws IllegalStateException before the extension has started
     */
    public TestDatabase testDatabase() {
        return started().database;
    }

    private State started() {
        State s = state;
        if (s == null) {
            throw new IllegalStateException("TxkitExtension has not started: register it with @RegisterExtension"
                    + " and use it from a test or a lifecycle method");
        }
        return s;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start(context);
    }

    private synchronized void start(ExtensionContext context) {
        if (state != null) {
            return;
        }
        TestDatabase database = TestDatabases.create(kind, context.getRequiredTestClass().getSimpleName());
        if (setup.length > 0) {
            database.execute(setup);
        }
        HikariDataSource pool = database.newPool(poolSize);
        State s = new State(this, database, pool, Database.create(pool));
        ExtensionContext classContext = context.getTestMethod().isPresent() ? context.getParent().orElse(context) : context;
        classContext.getStore(NAMESPACE).put(this, s);
        state = s;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        start(context);
        context.getStore(NAMESPACE).put(RACES, Race.startedOnThisThread());
        if (noRollback(context)) {
            return;
        }
        TxOptions options = TxOptions.defaults().withTimeout(testTimeout).withPropagation(Propagation.REQUIRES_NEW);
        context.getStore(NAMESPACE).put(this, state.db.begin(options));
    }

    private int racesBefore(ExtensionContext context) {
        Integer n = context.getStore(NAMESPACE).remove(RACES, Integer.class);
        return n == null ? Race.startedOnThisThread() : n;
    }

    /**
     * A race's actors run on their own threads and commit for real: in a rolled-back test they leave
     * rows behind for the next test and cannot see the test's own uncommitted rows (issue 15), and in
     * a NoRollback test only clean-up statements undo them.
     */
    private String raceProblem(ExtensionContext context, int before) {
        if (Race.startedOnThisThread() == before) {
            return null;
        }
        if (!noRollback(context)) {
            return "the test ran Race.run or Race.interleave(), whose actors run on their own threads outside the"
                    + " test's rolled-back transaction: their writes were committed for real and the test's own"
                    + " uncommitted rows were invisible to them. Mark the test @NoRollback and declare"
                    + " TxkitExtension.cleanUp(...) statements that remove what the actors wrote";
        }
        return cleanUp.length == 0 ? "the @NoRollback test ran a race whose actors committed for real, but the"
                + " extension has no cleanUp(...) statements, so later tests would see their rows; declare them" : null;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        State s = started();
        String raced = raceProblem(context, racesBefore(context));
        Transaction tx = context.getStore(NAMESPACE).remove(this, Transaction.class);
        try {
            if (tx != null) {
                tx.close(); // rolls back: the test's writes vanish
            }
        } finally {
            List<String> leaks = Leaks.of(s.db);
            if (noRollback(context) && cleanUp.length > 0) {
                s.database.execute(cleanUp);
            }
            if (raced != null) {
                leaks.add(0, raced);
            }
            if (!leaks.isEmpty()) {
                throw new AssertionError("txkit leak check failed after " + context.getDisplayName() + ": "
                        + String.join("; ", leaks));
            }
        }
    }

    private static boolean noRollback(ExtensionContext context) {
        return context.getTestMethod().map(m -> m.isAnnotationPresent(NoRollback.class)).orElse(false)
                || context.getTestClass().map(c -> c.isAnnotationPresent(NoRollback.class)).orElse(false);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Database.class || type == TestDatabase.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        start(context);
        return parameter.getParameter().getType() == Database.class ? state.db : state.database;
    }

    /** What one class uses; closed by JUnit when the class's context closes. */
    private static final class State implements ExtensionContext.Store.CloseableResource {
        final TxkitExtension owner;
        final TestDatabase database;
        final HikariDataSource pool;
        final Database db;

        State(TxkitExtension owner, TestDatabase database, HikariDataSource pool, Database db) {
            this.owner = owner;
            this.database = database;
            this.pool = pool;
            this.db = db;
        }

        @Override
        public void close() {
            owner.state = null;
            try {
                db.close();
                pool.close();
            } finally {
                database.close();
            }
        }
    }
}
