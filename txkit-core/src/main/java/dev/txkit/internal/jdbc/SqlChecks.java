package dev.txkit.internal.jdbc;

import dev.txkit.dialect.Dialect;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The checks every statement passes before anything is sent — it is no transaction-control statement
 * ({@link TxControl}) and it gets as many arguments as it has placeholders ({@link SqlScanner}) —
 * remembered per Database for the SQL texts it runs. An application sends the same few texts again and
 * again, and scanning each text per statement cost more than the rest of a short transaction on a fast
 * driver (issue 14). The memory is a small direct-mapped table indexed by the text's hash: a collision
 * only means scanning again, and at most {@value #SIZE} texts of at most {@value #MAX_LENGTH} characters
 * are held. Thread-safe: entries are immutable and published through an {@link AtomicReferenceArray}.
 */
public final class SqlChecks {
    static final int SIZE = 256; // a power of two
    static final int MAX_LENGTH = 4096;

    /** {@code sql} passed the control check for {@code dialect} and has {@code placeholders} placeholders. */
    private record Checked(String sql, Dialect dialect, int placeholders) {
    }

    private final AtomicReferenceArray<Checked> table = new AtomicReferenceArray<>(SIZE);

    /** Throws MISUSE when {@code sql} controls transactions (see {@link TxControl}). */
    void refuseControl(String sql, Dialect dialect) {
        int slot = slot(sql);
        if (find(slot, sql, dialect) == null) {
            TxControl.refuse(sql, dialect);
            if (sql.length() <= MAX_LENGTH) {
                table.set(slot, new Checked(sql, dialect, SqlScanner.placeholders(sql, dialect)));
            }
        }
    }

    /** The number of placeholders the driver will see in {@code sql}, or {@link SqlScanner#UNKNOWN}. */
    int placeholders(String sql, Dialect dialect) {
        Checked c = find(slot(sql), sql, dialect);
        return c != null ? c.placeholders : SqlScanner.placeholders(sql, dialect);
    }

    private Checked find(int slot, String sql, Dialect dialect) {
        Checked c = table.get(slot);
        return c != null && c.dialect == dialect && (c.sql == sql || c.sql.equals(sql)) ? c : null;
    }

    private static int slot(String sql) {
        int h = sql.hashCode();
        return (h ^ (h >>> 16)) & (SIZE - 1);
    }
}
