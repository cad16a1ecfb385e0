package dev.txkit.internal.table;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Identifier rules for tables and columns. Only plain names pass, so a name from a record or an
 * annotation can never carry a quote, a semicolon or a comment into SQL; quoting then keeps
 * keywords usable as names.
 */
final class Names {
    /** 63 characters: PostgreSQL's limit, and under MariaDB's 64. */
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private Names() {
    }

    static boolean valid(String name) {
        return name != null && IDENTIFIER.matcher(name).matches();
    }

    /** Returns {@code name} if it is a valid identifier, else INVALID_ARGUMENT naming {@code what}. */
    static String require(String name, String what) {
        if (!valid(name)) {
            throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, what + " is not a valid SQL name: "
                    + printable(name) + "; use letters, digits and '_' (not starting with a digit), at most 63");
        }
        return name;
    }

    /** {@code SeatBooking} → {@code seat_booking}, {@code createdAt} → {@code created_at}. */
    static String snake(String camel) {
        StringBuilder sb = new StringBuilder(camel.length() + 4);
        for (int i = 0; i < camel.length(); i++) {
            char ch = camel.charAt(i);
            if (Character.isUpperCase(ch)) {
                boolean boundary = i > 0 && (!Character.isUpperCase(camel.charAt(i - 1))
                        || (i + 1 < camel.length() && Character.isLowerCase(camel.charAt(i + 1))));
                if (boundary && camel.charAt(i - 1) != '_') {
                    sb.append('_');
                }
                sb.append(Character.toLowerCase(ch));
            } else {
                sb.append(ch);
            }
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    /** A bad name for a message: quoted, control characters escaped, cut to 80 characters. */
    static String printable(String name) {
        if (name == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder("'");
        for (int i = 0; i < name.length() && i < 80; i++) {
            char ch = name.charAt(i);
            sb.append(ch < 0x20 || ch == 0x7f ? String.format("\\u%04x", (int) ch) : String.valueOf(ch));
        }
        return sb.append(name.length() > 80 ? "…'" : "'").toString();
    }
}
