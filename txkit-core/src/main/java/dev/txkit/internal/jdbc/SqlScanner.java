package dev.txkit.internal.jdbc;

import dev.txkit.dialect.CockroachDialect;
import dev.txkit.dialect.Dialect;
import dev.txkit.dialect.MariaDbDialect;
import dev.txkit.dialect.PostgresDialect;
import dev.txkit.dialect.SqliteDialect;

import java.util.Locale;

/**
 * Reads SQL text the way the JDBC drivers do before they send it: which {@code ?} are bind
 * placeholders, skipping quoted strings and identifiers, comments, PostgreSQL dollar quotes and
 * the {@code ??} escape (how PgJDBC spells the {@code ?}, {@code ?|} and {@code ?&} operators), and
 * MariaDB's backslash escapes, backtick names and {@code #} comments. Used to check the argument
 * count before a statement is sent (issue 15) and to find a statement's first words. Static
 * methods; thread-safe.
 */
final class SqlScanner {
    /** Returned by {@link #placeholders} when the text uses numbered or named parameters txkit cannot count. */
    static final int UNKNOWN = -1;

    private enum Family { POSTGRES, MARIADB, SQLITE, STANDARD }

    private SqlScanner() {
    }

    /** The number of {@code ?} placeholders the driver will see, or {@link #UNKNOWN}. */
    static int placeholders(String sql, Dialect dialect) {
        Family f = family(dialect);
        int n = 0;
        int len = sql.length();
        for (int i = 0; i < len; i++) {
            char c = sql.charAt(i);
            int skip = mayOpenQuoteOrComment(c) ? skipQuotedOrComment(sql, i, f) : i; // most characters cannot
            if (skip > i) {
                i = skip - 1;
            } else if (c == '?') {
                char next = i + 1 < len ? sql.charAt(i + 1) : 0;
                if (f == Family.POSTGRES && next == '?') {
                    i++; // PgJDBC: "??" is a literal '?', not a placeholder
                } else if (f != Family.POSTGRES && f != Family.MARIADB && Character.isDigit(next)) {
                    return UNKNOWN; // ?1, ?NNN: numbered parameters (H2, SQLite)
                } else {
                    n++;
                }
            } else if (f == Family.SQLITE && (c == ':' || c == '@' || c == '$') && i + 1 < len
                    && Character.isLetter(sql.charAt(i + 1))) {
                return UNKNOWN; // :name, @name, $name
            }
        }
        return n;
    }

    /**
     * The first {@code count} words of the statement, upper-case, separated by one space, after
     * leading whitespace and comments ({@code "/* x *}{@code / rollback  to s"} gives {@code "ROLLBACK TO S"}).
     */
    static String leadingWords(String sql, int count, Dialect dialect) {
        Family f = family(dialect);
        StringBuilder out = new StringBuilder();
        int i = 0;
        for (int words = 0; words < count; words++) {
            int start = wordStart(sql, i, f);
            if (start < 0) {
                break;
            }
            i = wordEnd(sql, start);
            out.append(words == 0 ? "" : " ").append(sql, start, i);
        }
        return out.toString().toUpperCase(Locale.ROOT);
    }

    /** Where the statement's first word starts (see {@link #leadingWords}), or -1 when it has none. */
    static int firstWordStart(String sql, Dialect dialect) {
        return wordStart(sql, 0, family(dialect));
    }

    /**
     * Where the next plain word starts from {@code i} on, after whitespace, {@code ;}, {@code =} and
     * comments (a comment separates words like whitespace); -1 at the end or before a quote or an operator.
     */
    private static int wordStart(String sql, int i, Family f) {
        int len = sql.length();
        while (i < len) {
            char c = sql.charAt(i);
            int skip = skipQuotedOrComment(sql, i, f);
            if (skip > i && (c == '-' || c == '/' || c == '#')) {
                i = skip;
            } else if (Character.isWhitespace(c) || c == ';' || c == '=') {
                i++;
            } else {
                return wordEnd(sql, i) > i ? i : -1;
            }
        }
        return -1;
    }

    /** The index just past the word starting at {@code start}. */
    static int wordEnd(String sql, int start) {
        int i = start;
        while (i < sql.length() && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_'
                || sql.charAt(i) == '@' || sql.charAt(i) == '.')) {
            i++;
        }
        return i;
    }

    private static Family family(Dialect d) {
        if (d instanceof PostgresDialect || d instanceof CockroachDialect) {
            return Family.POSTGRES;
        }
        if (d instanceof MariaDbDialect) {
            return Family.MARIADB;
        }
        return d instanceof SqliteDialect ? Family.SQLITE : Family.STANDARD;
    }

    /** Whether quoted text or a comment can start with {@code c} (see {@link #skipQuotedOrComment}). */
    private static boolean mayOpenQuoteOrComment(char c) {
        return c == '\'' || c == '"' || c == '`' || c == '[' || c == '#' || c == '-' || c == '/' || c == '$';
    }

    /** The index just past the quoted text or comment starting at {@code i}, or {@code i} when none starts there. */
    private static int skipQuotedOrComment(String sql, int i, Family f) {
        char c = sql.charAt(i);
        int len = sql.length();
        char next = i + 1 < len ? sql.charAt(i + 1) : 0;
        switch (c) {
            case '\'':
                return endOfQuoted(sql, i, '\'', f == Family.MARIADB || (f == Family.POSTGRES && escapeString(sql, i)));
            case '"':
                return endOfQuoted(sql, i, '"', f == Family.MARIADB);
            case '`':
                return f == Family.MARIADB || f == Family.SQLITE ? endOfQuoted(sql, i, '`', false) : i;
            case '[':
                return f == Family.SQLITE ? endOf(sql, i + 1, "]") : i;
            case '#':
                return f == Family.MARIADB ? endOf(sql, i + 1, "\n") : i;
            case '-':
                if (next != '-') {
                    return i;
                }
                // MariaDB needs whitespace or a control character after "--" for a comment
                if (f == Family.MARIADB && i + 2 < len && sql.charAt(i + 2) > ' ') {
                    return i;
                }
                return endOf(sql, i + 2, "\n");
            case '/':
                return next == '*' ? endOfBlockComment(sql, i, f == Family.POSTGRES) : i;
            case '$':
                return f == Family.POSTGRES ? endOfDollarQuote(sql, i) : i;
            default:
                return i;
        }
    }

    /** PostgreSQL E'…' strings take backslash escapes; plain ones do not (standard_conforming_strings). */
    private static boolean escapeString(String sql, int quote) {
        if (quote == 0 || Character.toUpperCase(sql.charAt(quote - 1)) != 'E') {
            return false;
        }
        return quote == 1 || !isIdentifierChar(sql.charAt(quote - 2));
    }

    private static int endOfQuoted(String sql, int open, char quote, boolean backslash) {
        int len = sql.length();
        for (int i = open + 1; i < len; i++) {
            char c = sql.charAt(i);
            if (backslash && c == '\\') {
                i++;
            } else if (c == quote) {
                if (i + 1 < len && sql.charAt(i + 1) == quote) {
                    i++; // doubled quote: part of the text
                } else {
                    return i + 1;
                }
            }
        }
        return len; // unterminated: the database will say so; nothing after it is a placeholder
    }

    private static int endOf(String sql, int from, String terminator) {
        int end = sql.indexOf(terminator, from);
        return end < 0 ? sql.length() : end + terminator.length();
    }

    private static int endOfBlockComment(String sql, int open, boolean nested) {
        int depth = 1;
        int len = sql.length();
        for (int i = open + 2; i < len - 1; i++) {
            if (sql.charAt(i) == '*' && sql.charAt(i + 1) == '/') {
                if (--depth == 0) {
                    return i + 2;
                }
                i++;
            } else if (nested && sql.charAt(i) == '/' && sql.charAt(i + 1) == '*') {
                depth++;
                i++;
            }
        }
        return len;
    }

    /** {@code $tag$ … $tag$} (tag empty or an identifier), unless the '$' belongs to a name or a {@code $1}. */
    private static int endOfDollarQuote(String sql, int open) {
        if (open > 0 && isIdentifierChar(sql.charAt(open - 1))) {
            return open;
        }
        int len = sql.length();
        int i = open + 1;
        if (i < len && Character.isDigit(sql.charAt(i))) {
            return open;
        }
        while (i < len && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
            i++;
        }
        if (i >= len || sql.charAt(i) != '$') {
            return open;
        }
        String tag = sql.substring(open, i + 1);
        int end = sql.indexOf(tag, i + 1);
        return end < 0 ? len : end + tag.length();
    }

    private static boolean isIdentifierChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
