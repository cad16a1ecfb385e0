package dev.txkit.testing;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Just enough of the PostgreSQL and MariaDB client protocols to cut the client→server stream into
 * messages and spot a COMMIT. One instance per connection; not thread-safe.
 */
abstract class WireFraming {

    /**
     * One client message. {@code startsCommit}: nothing of the COMMIT has reached the server before
     * this message. {@code completesCommit}: once this message is forwarded, the server runs COMMIT.
     */
    record Frame(byte[] bytes, boolean startsCommit, boolean completesCommit) {
    }

    /** The next message, or {@code null} at the end of the stream. */
    abstract Frame read(DataInputStream in) throws IOException;

    static WireFraming of(DbKind kind) {
        switch (kind) {
            case POSTGRES:
                return new Postgres();
            case MARIADB:
                return new MariaDb();
            default:
                throw new IllegalArgumentException("TcpProxy speaks the PostgreSQL and MariaDB protocols, not " + kind);
        }
    }

    static boolean isCommit(String sql) {
        String s = sql.trim().toUpperCase(Locale.ROOT);
        return s.equals("COMMIT") || s.startsWith("COMMIT;") || s.startsWith("COMMIT WORK");
    }

    /**
     * PostgreSQL v3: untyped startup packets (SSL/GSS requests, then the startup message), then typed
     * messages. PgJDBC sends COMMIT through the extended protocol (Parse "COMMIT", Bind, Execute, Sync)
     * and, after a few uses, as a server-prepared statement (Bind of a named statement only), so
     * statement names that were parsed as COMMIT are remembered.
     */
    static final class Postgres extends WireFraming {
        private static final int SSL_REQUEST = 80877103;
        private static final int GSS_REQUEST = 80877104;
        private boolean startup = true;
        private boolean commitBound;
        private final Set<String> commitStatements = new HashSet<>();

        @Override
        Frame read(DataInputStream in) throws IOException {
            if (startup) {
                int len = readIntOrEof(in);
                if (len < 0) {
                    return null;
                }
                byte[] bytes = new byte[len];
                writeInt(bytes, 0, len);
                in.readFully(bytes, 4, len - 4);
                int code = readInt(bytes, 4);
                startup = code == SSL_REQUEST || code == GSS_REQUEST; // the real startup message follows those
                return new Frame(bytes, false, false);
            }
            int type = in.read();
            if (type < 0) {
                return null;
            }
            int len = in.readInt();
            byte[] bytes = new byte[len + 1];
            bytes[0] = (byte) type;
            writeInt(bytes, 1, len);
            in.readFully(bytes, 5, len - 4);
            switch (type) {
                case 'Q': {
                    boolean commit = isCommit(cString(bytes, 5));
                    return new Frame(bytes, commit, commit);
                }
                case 'P': {
                    String name = cString(bytes, 5);
                    String sql = cString(bytes, 5 + utf8Length(name) + 1);
                    if (isCommit(sql)) {
                        commitStatements.add(name);
                    } else {
                        commitStatements.remove(name);
                    }
                    return new Frame(bytes, false, false);
                }
                case 'B': {
                    String portal = cString(bytes, 5);
                    String statement = cString(bytes, 5 + utf8Length(portal) + 1);
                    boolean commit = commitStatements.contains(statement);
                    commitBound |= commit;
                    return new Frame(bytes, commit, false);
                }
                case 'S': {
                    boolean commit = commitBound;
                    commitBound = false;
                    return new Frame(bytes, false, commit);
                }
                default:
                    return new Frame(bytes, false, false);
            }
        }

        private static int readIntOrEof(DataInputStream in) throws IOException {
            try {
                return in.readInt();
            } catch (EOFException e) {
                return -1;
            }
        }
    }

    /** MariaDB/MySQL: packets of a 3-byte length, a sequence byte and a payload; COM_QUERY is 0x03. */
    static final class MariaDb extends WireFraming {
        @Override
        Frame read(DataInputStream in) throws IOException {
            int b0 = in.read();
            if (b0 < 0) {
                return null;
            }
            byte[] header = new byte[4];
            header[0] = (byte) b0;
            in.readFully(header, 1, 3);
            int len = (header[0] & 0xff) | (header[1] & 0xff) << 8 | (header[2] & 0xff) << 16;
            byte[] bytes = new byte[4 + len];
            System.arraycopy(header, 0, bytes, 0, 4);
            in.readFully(bytes, 4, len);
            boolean commit = len > 1 && bytes[4] == 0x03
                    && isCommit(new String(bytes, 5, len - 1, StandardCharsets.UTF_8));
            return new Frame(bytes, commit, commit);
        }
    }

    private static String cString(byte[] b, int from) {
        int end = from;
        while (end < b.length && b[end] != 0) {
            end++;
        }
        return new String(b, from, end - from, StandardCharsets.UTF_8);
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    private static void writeInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
