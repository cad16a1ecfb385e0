package dev.txkit.dialect;

import java.util.List;
import java.util.function.UnaryOperator;

/** The three upsert spellings txkit's dialects use. Inputs are already validated and quoted. */
final class Upserts {
    private Upserts() {
    }

    private static String insertHead(String table, List<String> columns) {
        StringBuilder sb = new StringBuilder("INSERT INTO ").append(table).append(" (");
        sb.append(String.join(", ", columns)).append(") VALUES (");
        for (int i = 0; i < columns.size(); i++) {
            sb.append(i == 0 ? "?" : ", ?");
        }
        return sb.append(')').toString();
    }

    /** PostgreSQL, CockroachDB, SQLite (3.24+): {@code ON CONFLICT (key) DO UPDATE SET c = EXCLUDED.c}. */
    static String onConflict(String table, List<String> columns, String key, String version) {
        StringBuilder sb = new StringBuilder(insertHead(table, columns));
        sb.append(" ON CONFLICT (").append(key).append(") DO UPDATE SET ");
        appendAssignments(sb, columns, key, version, c -> "EXCLUDED." + c, c -> table + "." + c + " + 1");
        return sb.toString();
    }

    /** MariaDB/MySQL: {@code ON DUPLICATE KEY UPDATE c = VALUES(c)}. */
    static String onDuplicateKey(String table, List<String> columns, String key, String version) {
        StringBuilder sb = new StringBuilder(insertHead(table, columns));
        sb.append(" ON DUPLICATE KEY UPDATE ");
        appendAssignments(sb, columns, key, version, c -> "VALUES(" + c + ")", c -> c + " + 1");
        return sb.toString();
    }

    /**
     * H2: the standard {@code MERGE INTO … USING (VALUES …)} rather than H2's {@code MERGE … KEY}, because
     * only the standard form can add 1 to the existing row's version.
     */
    static String merge(String table, List<String> columns, String key, String version) {
        StringBuilder sb = new StringBuilder("MERGE INTO ").append(table).append(" t USING (VALUES (");
        for (int i = 0; i < columns.size(); i++) {
            sb.append(i == 0 ? "?" : ", ?");
        }
        sb.append(")) s (").append(String.join(", ", columns)).append(") ON t.").append(key).append(" = s.")
                .append(key);
        if (columns.size() > 1) {
            sb.append(" WHEN MATCHED THEN UPDATE SET ");
            appendAssignments(sb, columns, key, version, c -> "s." + c, c -> "t." + c + " + 1");
        }
        sb.append(" WHEN NOT MATCHED THEN INSERT (").append(String.join(", ", columns)).append(") VALUES (");
        for (int i = 0; i < columns.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append("s.").append(columns.get(i));
        }
        return sb.append(')').toString();
    }

    private static void appendAssignments(StringBuilder sb, List<String> columns, String key, String version,
                                          UnaryOperator<String> newValue,
                                          UnaryOperator<String> bumped) {
        boolean first = true;
        for (String c : columns) {
            if (c.equals(key)) {
                continue;
            }
            sb.append(first ? "" : ", ").append(c).append(" = ")
                    .append(c.equals(version) ? bumped.apply(c) : newValue.apply(c));
            first = false;
        }
        if (first) {
            // only the key: still a valid statement that leaves the row as it is
            sb.append(key).append(" = ").append(newValue.apply(key));
        }
    }
}
