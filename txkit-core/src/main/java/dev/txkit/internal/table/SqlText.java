package dev.txkit.internal.table;

import dev.txkit.dialect.Dialect;
import dev.txkit.internal.jdbc.Values;

import java.util.ArrayList;
import java.util.List;

/**
 * The fixed statements of one record type on one dialect, built once from validated, quoted names.
 * Values never appear here: every value is a {@code ?}. Immutable.
 */
final class SqlText {
    final String table;
    /** Quoted column names, in component order. */
    final String[] columns;
    /** The generated-key column as the database stores it, unquoted (for JDBC's generated keys). */
    final String idAsStored;
    /** {@code SELECT c1, c2, … FROM t}. */
    final String select;
    final String byId;
    final String insert;
    final String insertWithoutId;
    /** {@code UPDATE t SET every column but id and version … WHERE id = ?}, plus the version check if any. */
    final String update;
    final String deleteById;
    private final Dialect dialect;
    private final RecordMeta<?> meta;
    private volatile String upsert;

    SqlText(RecordMeta<?> meta, Dialect dialect) {
        this.meta = meta;
        this.dialect = dialect;
        this.table = dialect.quoteAsStored(meta.table);
        this.columns = new String[meta.cols.length];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = dialect.quoteAsStored(meta.cols[i].column);
        }
        String quotedId = columns[meta.idIndex];
        this.idAsStored = quotedId.substring(1, quotedId.length() - 1);
        this.select = "SELECT " + String.join(", ", columns) + " FROM " + table;
        this.byId = select + " WHERE " + quotedId + " = ?";
        this.insert = insertOf(allBut(-1));
        this.insertWithoutId = insertOf(allBut(meta.idIndex));
        StringBuilder u = new StringBuilder("UPDATE ").append(table).append(" SET ");
        boolean first = true;
        for (int i = 0; i < columns.length; i++) {
            if (i != meta.idIndex) {
                u.append(first ? "" : ", ").append(columns[i]).append(" = ?");
                first = false;
            }
        }
        u.append(" WHERE ").append(quotedId).append(" = ?");
        if (meta.versionIndex >= 0) {
            u.append(" AND ").append(columns[meta.versionIndex]).append(" = ?");
        }
        this.update = u.toString();
        this.deleteById = "DELETE FROM " + table + " WHERE " + quotedId + " = ?";
    }

    /** Column indexes of the record except {@code skip} (-1: all). */
    List<Integer> allBut(int skip) {
        List<Integer> out = new ArrayList<>(columns.length);
        for (int i = 0; i < columns.length; i++) {
            if (i != skip) {
                out.add(i);
            }
        }
        return out;
    }

    private String insertOf(List<Integer> indexes) {
        StringBuilder sb = new StringBuilder("INSERT INTO ").append(table).append(" (");
        StringBuilder marks = new StringBuilder();
        for (int k = 0; k < indexes.size(); k++) {
            sb.append(k == 0 ? "" : ", ").append(columns[indexes.get(k)]);
            marks.append(k == 0 ? "?" : ", ?");
        }
        return sb.append(") VALUES (").append(marks).append(')').toString();
    }

    /** The dialect's upsert of all columns (may fail with UNSUPPORTED). */
    String upsert() {
        String s = upsert;
        if (s == null) {
            s = dialect.upsert(table, List.of(columns), columns[meta.idIndex],
                    meta.versionIndex < 0 ? null : columns[meta.versionIndex]);
            upsert = s;
        }
        return s;
    }
}
