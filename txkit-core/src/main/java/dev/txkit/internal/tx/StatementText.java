package dev.txkit.internal.tx;

import java.util.regex.Pattern;

/** What txkit needs to know of a statement's text before it sends it (see {@link TxStatements}). Stateless. */
public final class StatementText {
    private StatementText() {
    }

    /**
     * A single SELECT to which a lock clause can be appended as it stands: it starts with SELECT and has no
     * lock clause of its own, no set operation (UNION, INTERSECT, EXCEPT), no INTO, no comment (a trailing
     * {@code --} would swallow the clause) and no second statement. Conservative: a word such as FOR inside a
     * string literal also keeps the text unchanged.
     */
    public static boolean plainSelect(String sql) {
        int i = 0;
        while (i < sql.length() && Character.isWhitespace(sql.charAt(i))) {
            i++;
        }
        return starts(sql, i, "SELECT") && !NOT_PLAIN.matcher(sql).find();
    }

    private static final Pattern NOT_PLAIN = Pattern.compile(
            "(?i)\\b(FOR|LOCK|SHARE|UNION|INTERSECT|EXCEPT|INTO|NOWAIT|SKIP)\\b|--|#|/\\*|;");

    /**
     * Whether {@code sql} writes rows (so it holds their exclusive locks once it has returned): it starts
     * with UPDATE, INSERT, DELETE, REPLACE or MERGE, or is a locking read ({@code … FOR UPDATE}).
     */
    static boolean writes(String sql) {
        int i = 0;
        int n = sql.length();
        while (i < n && (Character.isWhitespace(sql.charAt(i)) || sql.charAt(i) == '(')) {
            i++;
        }
        return starts(sql, i, "UPDATE") || starts(sql, i, "INSERT") || starts(sql, i, "DELETE")
                || starts(sql, i, "REPLACE") || starts(sql, i, "MERGE")
                || (starts(sql, i, "SELECT") && endsWithForUpdate(sql));
    }

    private static boolean starts(String sql, int at, String word) {
        return sql.regionMatches(true, at, word, 0, word.length())
                && (at + word.length() == sql.length() || !Character.isLetterOrDigit(sql.charAt(at + word.length())));
    }

    /** Whether {@code sql} is a locking read that waits for the lock ({@code … FOR UPDATE}, not NOWAIT or SKIP LOCKED). */
    public static boolean lockingRead(String sql) {
        return endsWithForUpdate(sql);
    }

    /** A plain {@code … FOR UPDATE} at the end (not NOWAIT or SKIP LOCKED, whose next attempt would not queue). */
    private static boolean endsWithForUpdate(String sql) {
        int end = sql.length();
        while (end > 0 && (Character.isWhitespace(sql.charAt(end - 1)) || sql.charAt(end - 1) == ';')) {
            end--;
        }
        String tail = "FOR UPDATE";
        int at = end - tail.length();
        return at > 0 && Character.isWhitespace(sql.charAt(at - 1)) && sql.regionMatches(true, at, tail, 0, tail.length());
    }
}
