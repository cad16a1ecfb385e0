package dev.txkit.benchmarks.harness;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;
import dev.txkit.retry.RetriesExhaustedException;

import java.sql.SQLException;
import java.util.EnumSet;
import java.util.Set;

/**
 * Names an abort the way the CSV reports it: PostgreSQL by SQLSTATE ({@code 40001}, {@code 40P01}),
 * MariaDB by vendor code ({@code 1213}, {@code 1020}, {@code 1205}), a failed version check as
 * {@code version}, anything without a database code by its exception class.
 *
 * <p>Stateless; thread-safe.
 */
public final class Codes {
    /** A version-checked write found another version. */
    public static final String VERSION = "version";

    private Codes() {
    }

    /** The code of the first SQLException (or txkit failure) in {@code failure}'s cause chain. */
    public static String of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException e) {
                return e.getErrorCode() != 0 ? Integer.toString(e.getErrorCode()) : String.valueOf(e.getSQLState());
            }
            if (t instanceof TxkitException e && (e.sqlState() != null || e.vendorCode() != 0)) {
                return e.vendorCode() != 0 ? Integer.toString(e.vendorCode()) : e.sqlState();
            }
            if (t instanceof TxkitException e && e.code() == ErrorCode.OPTIMISTIC_CONFLICT) {
                return VERSION;
            }
        }
        return failure.getClass().getSimpleName();
    }

    /** Whether {@code e} is a write conflict or deadlock that a retry can resolve (Prisma's P2034 and the like). */
    public static boolean isConflict(SQLException e) {
        String state = String.valueOf(e.getSQLState());
        int vendor = e.getErrorCode();
        // PostgreSQL reports 0 as vendor code; MariaDB: 1213 deadlock (SQLSTATE 40001), 1020 snapshot conflict.
        return state.equals("40001") || state.equals("40P01") || vendor == 1213 || vendor == 1020;
    }

    /**
     * Whether {@code failure} is the expected way for an operation to give up under contention (retries
     * exhausted, a conflict, deadlock or lock timeout not retried) rather than an error worth showing.
     */
    public static boolean isContention(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RawJdbc.GaveUp || t instanceof RetriesExhaustedException) {
                return true;
            }
            if (t instanceof SQLException e && (isConflict(e) || "55P03".equals(e.getSQLState()) || e.getErrorCode() == 1205)) {
                return true;
            }
            if (t instanceof TxkitException e && CONTENTION.contains(e.code())) {
                return true;
            }
        }
        return false;
    }

    private static final Set<ErrorCode> CONTENTION = EnumSet.of(ErrorCode.CONFLICT,
            ErrorCode.DEADLOCK, ErrorCode.LOCK_TIMEOUT, ErrorCode.OPTIMISTIC_CONFLICT);
}
