package dev.txkit.internal.pool;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;
import dev.txkit.internal.jdbc.Redaction;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;

/**
 * Obtains connections with a bound on waiting. For HikariCP pools the bound is exact per call; for
 * any other DataSource the pool's own timeout applies, because JDBC offers no per-call bound.
 */
public abstract class ConnectionSource {

    /** A connection, or ACQUIRE_TIMEOUT / CONNECTION_FAILURE with the pool's state in the message. */
    public abstract Connection get(Duration maxWait);

    /** Pool state for diagnostics, e.g. {@code total=10, active=10, idle=0, waiting=3}; empty when unknown. */
    public abstract String state();

    /** Connections currently handed out, or -1 when unknown. */
    public abstract int active();

    /** The pool's maximum size, or -1 when unknown. */
    public abstract int maxSize();

    /** Connections idle in the pool right now, or -1 when unknown. */
    public int idle() {
        return -1;
    }

    /** The autocommit mode the pool's connections start in, when its configuration tells; else {@code null}. */
    public Boolean autoCommitDefault() {
        return null;
    }

    /** The JDBC URL when the pool reveals it (for opening a side connection), else {@code null}. */
    public String jdbcUrl() {
        return null;
    }

    /** Opens a connection outside the pool (for diagnostics), or {@code null} when that is impossible. */
    public Connection openUnpooled() throws SQLException {
        return null;
    }

    public static ConnectionSource of(DataSource ds) {
        if (HikariSupport.AVAILABLE && HikariSupport.isHikari(ds)) {
            return HikariSupport.source(ds);
        }
        return new Plain(ds);
    }

    /** Secrets the pool was configured with, masked wherever a driver message repeats them. */
    java.util.List<String> secrets() {
        return java.util.Collections.emptyList();
    }

    TxkitException acquireFailure(SQLException e, long waitedMillis, Duration maxWait) {
        boolean timedOut = e instanceof SQLTransientConnectionException
                && (e.getCause() == null || !(e.getCause() instanceof SQLException));
        if (timedOut) {
            return acquireTimeout(waitedMillis, maxWait, state(), e);
        }
        return TxkitException.of(ErrorCode.CONNECTION_FAILURE, "could not open a connection after "
                + waitedMillis + " ms: " + e.getClass().getSimpleName()
                + (e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")"), Redaction.scrub(e, secrets()));
    }

    static TxkitException acquireTimeout(long waitedMillis, Duration maxWait, String state, SQLException e) {
        return TxkitException.of(ErrorCode.ACQUIRE_TIMEOUT, "no connection available after waiting "
                + waitedMillis + " ms (maxWait " + maxWait.toMillis() + " ms); pool " + state
                + ". Hold connections for less time, raise the pool size, or raise TxOptions.withMaxWait",
                null, e == null ? null : e.getSQLState(), e == null ? 0 : e.getErrorCode());
    }

    /** A DataSource txkit knows nothing about. */
    static final class Plain extends ConnectionSource {
        private final DataSource ds;

        Plain(DataSource ds) {
            this.ds = ds;
        }

        @Override
        public Connection get(Duration maxWait) {
            long start = System.nanoTime();
            try {
                return ds.getConnection();
            } catch (SQLException e) {
                throw acquireFailure(e, (System.nanoTime() - start) / 1_000_000, maxWait);
            }
        }

        @Override
        public String state() {
            return "(state unknown: " + ds.getClass().getSimpleName() + ")";
        }

        @Override
        public int active() {
            return -1;
        }

        @Override
        public int maxSize() {
            return -1;
        }
    }
}
