package dev.txkit.internal.jdbc;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;
import dev.txkit.dialect.Dialect;

import java.util.List;

/**
 * Refuses transaction-control statements sent as plain SQL ({@code tx.sql("commit")},
 * {@code db.sql("BEGIN")}, {@code SET autocommit = 0}, …): they would end or start a transaction
 * behind txkit's back, so txkit's later COMMIT, hooks, retries and deadline would apply to the wrong
 * work (issue 15). Matched on the first words, case-, whitespace- and comment-insensitively; the
 * MISUSE message names the method to use instead. Static methods; thread-safe.
 */
final class TxControl {
    private TxControl() {
    }

    /** First words {@link #instead} may answer for (upper case). */
    private static final List<String> CONTROL_WORDS = List.of("COMMIT", "END", "ROLLBACK", "ABORT", "SAVEPOINT",
            "RELEASE", "BEGIN", "START", "XA", "PREPARE", "SET");

    /** Throws MISUSE when {@code sql} controls transactions. */
    static void refuse(String sql, Dialect dialect) {
        if (!mayControl(sql, dialect)) {
            return;
        }
        String words = SqlScanner.leadingWords(sql, 3, dialect);
        String use = instead(words);
        if (use != null) {
            throw TxkitException.of(ErrorCode.MISUSE, "sql(\"" + Errors.abbreviate(sql) + "\") is a transaction-control"
                    + " statement, which would act behind txkit's back (its commit, rollback, hooks, retries and"
                    + " deadline would apply to the wrong work); nothing was sent. Use " + use + " instead");
        }
    }

    /**
     * Whether the first word may be a transaction-control one. Decided without building a string
     * (every statement passes here): an ASCII word is compared ignoring case; a word with other
     * characters goes to the full check, where upper-casing them may change the text.
     */
    private static boolean mayControl(String sql, Dialect dialect) {
        int start = SqlScanner.firstWordStart(sql, dialect);
        if (start < 0) {
            return false;
        }
        int end = SqlScanner.wordEnd(sql, start);
        for (int i = start; i < end; i++) {
            if (sql.charAt(i) > 0x7f) {
                return true;
            }
        }
        for (int k = 0; k < CONTROL_WORDS.size(); k++) {
            String word = CONTROL_WORDS.get(k);
            if (word.length() == end - start && sql.regionMatches(true, start, word, 0, word.length())) {
                return true;
            }
        }
        return false;
    }

    /** The API to use for a transaction-control statement starting with {@code words}, or null for any other. */
    static String instead(String words) {
        String first = words.contains(" ") ? words.substring(0, words.indexOf(' ')) : words;
        switch (first) {
            case "COMMIT":
            case "END":
                return "tx.commit(), or return normally from the inTransaction callback";
            case "ROLLBACK":
            case "ABORT":
                return words.startsWith("ROLLBACK TO") ? "tx.rollbackTo(savepoint)"
                        : "tx.rollback(), or throw from the inTransaction callback";
            case "SAVEPOINT":
                return "tx.savepoint() (or Propagation.NESTED)";
            case "RELEASE":
                return "tx.release(savepoint)";
            case "BEGIN":
                return words.startsWith("BEGIN NOT ATOMIC") ? null : "db.begin() or db.inTransaction(...)";
            case "START":
                return words.startsWith("START TRANSACTION") ? "db.begin() or db.inTransaction(...)" : null;
            case "XA":
            case "PREPARE":
                return first.equals("XA") || words.startsWith("PREPARE TRANSACTION")
                        ? "a transaction manager (two-phase commit is not something txkit does)" : null;
            case "SET":
                return setsAutocommit(words) ? "db.begin() or db.inTransaction(...) for a transaction and db.sql(...)"
                        + " outside one for autocommit (txkit owns the connection's autocommit mode)" : null;
            default:
                return null;
        }
    }

    private static boolean setsAutocommit(String words) {
        String[] w = words.split(" ");
        for (int i = 1; i < w.length; i++) {
            String name = w[i].replace("@@SESSION.", "").replace("@@LOCAL.", "").replace("@@", "");
            if (name.equals("AUTOCOMMIT")) {
                return true;
            }
            if (!name.equals("SESSION") && !name.equals("LOCAL")) {
                return false;
            }
        }
        return false;
    }
}
