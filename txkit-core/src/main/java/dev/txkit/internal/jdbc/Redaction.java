package dev.txkit.internal.jdbc;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps credentials out of every message txkit (and its CLI) writes: the user-info of a URL
 * ({@code //user:password@host} becomes {@code //***@host}), {@code password=}, {@code user=} and
 * similar key-value pairs, and any known secret (the password txkit was given) wherever a driver
 * echoed it, e.g. MariaDB's {@code Incorrect port value : p4ssw0rd@127.0.0.1} (issue 15). Cause
 * chains are copied with scrubbed messages when, and only when, something had to be hidden.
 * Static methods; thread-safe.
 */
public final class Redaction {
    /** What replaces a hidden value. */
    public static final String MASK = "***";
    private static final Pattern USER_INFO = Pattern.compile("(//|^|[\\s=(\"'])([^\\s/@?#&;\"'()]*:[^\\s/@?#\"']*)@(?=[\\w\\[.-])");
    private static final Pattern KEY_VALUE = Pattern.compile(
            "(?i)\\b(password|passwd|pwd|pass|sslpassword|sslkeypassword|secret|user|username)=([^&;,\\s)\"']*)");
    /** Shorter secrets would mask ordinary words; the URL patterns still cover them. */
    private static final int MIN_SECRET_LENGTH = 4;

    private Redaction() {
    }

    /** {@code text} with URL credentials and the given secrets masked; {@code null} stays {@code null}. */
    public static String text(String text, Collection<String> secrets) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String s : secrets) {
            if (s != null && s.length() >= MIN_SECRET_LENGTH) {
                out = out.replace(s, MASK);
            }
        }
        out = USER_INFO.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK + "@"));
        return KEY_VALUE.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "=" + MASK));
    }

    /** {@code text} with URL credentials masked. */
    public static String text(String text) {
        return text(text, Collections.emptyList());
    }

    /**
     * {@code failure} itself when no message in its chain (causes, next exceptions, suppressed) shows
     * a credential; else a copy of the chain whose messages are masked (class names, SQLSTATEs,
     * vendor codes and stack traces kept).
     */
    public static Throwable scrub(Throwable failure, Collection<String> secrets) {
        if (failure == null || !needsScrub(failure, secrets, Collections.newSetFromMap(new IdentityHashMap<>()))) {
            return failure;
        }
        return copy(failure, secrets, 0);
    }

    /** {@link #scrub(Throwable, Collection)} for an SQLException, keeping the type. */
    public static SQLException scrub(SQLException failure, Collection<String> secrets) {
        return (SQLException) scrub((Throwable) failure, secrets);
    }

    /** The secrets a JDBC URL carries itself (user-info and {@code password=} values), for {@link #text}. */
    public static List<String> secretsOf(String jdbcUrl, String password) {
        List<String> out = new ArrayList<>(2);
        if (password != null && !password.isEmpty()) {
            out.add(password);
        }
        if (jdbcUrl != null) {
            Matcher kv = KEY_VALUE.matcher(jdbcUrl);
            while (kv.find()) {
                if (!kv.group(1).toLowerCase(java.util.Locale.ROOT).startsWith("user") && !kv.group(2).isEmpty()) {
                    out.add(kv.group(2));
                }
            }
            Matcher ui = USER_INFO.matcher(jdbcUrl);
            while (ui.find()) {
                String info = ui.group(2);
                String pw = info.substring(info.indexOf(':') + 1);
                if (!pw.isEmpty()) {
                    out.add(pw);
                }
            }
        }
        return out;
    }

    private static boolean needsScrub(Throwable t, Collection<String> secrets, Set<Throwable> seen) {
        if (t == null || !seen.add(t) || seen.size() > 50) {
            return false;
        }
        String m = t.getMessage();
        if (m != null && !m.equals(text(m, secrets))) {
            return true;
        }
        if (t instanceof SQLException && needsScrub(((SQLException) t).getNextException(), secrets, seen)) {
            return true;
        }
        for (Throwable s : t.getSuppressed()) {
            if (needsScrub(s, secrets, seen)) {
                return true;
            }
        }
        return needsScrub(t.getCause(), secrets, seen);
    }

    private static Throwable copy(Throwable t, Collection<String> secrets, int depth) {
        String message = t.getClass().getName() + ": " + text(t.getMessage(), secrets);
        Throwable copy;
        if (t instanceof SQLException) {
            SQLException s = (SQLException) t;
            SQLException c = new SQLException(message, s.getSQLState(), s.getErrorCode());
            if (s.getNextException() != null && depth < 20) {
                c.setNextException((SQLException) copy(s.getNextException(), secrets, depth + 1));
            }
            copy = c;
        } else {
            copy = new RuntimeException(message);
        }
        copy.setStackTrace(t.getStackTrace());
        if (t.getCause() != null && t.getCause() != t && depth < 20) {
            copy.initCause(copy(t.getCause(), secrets, depth + 1));
        }
        for (Throwable s : t.getSuppressed()) {
            if (depth < 20) {
                copy.addSuppressed(copy(s, secrets, depth + 1));
            }
        }
        return copy;
    }
}
