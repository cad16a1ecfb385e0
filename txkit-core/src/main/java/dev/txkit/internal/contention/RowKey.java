package dev.txkit.internal.contention;

import dev.txkit.internal.jdbc.Errors;

import java.util.Arrays;
import java.util.List;

/**
 * The row a call site's transaction contends on, as its first statement names it (issue 14): the call site's
 * key, the statement's text and its bound values. One call site that moves money between many accounts
 * collides per account, not as a whole; a record per row that collides lets each hot row admit its own few
 * and leaves the call site's other transactions alone (see {@link Permit#firstStatement}).
 *
 * <p>Equal when the call site, the text and every value are equal. {@link #toString()} shows the call site
 * and the statement, never the values (they may be ids or secrets). Immutable.
 */
public final class RowKey {
    private final Object site;
    private final String sql;
    private final Object[] values;
    private final int hash;

    /** {@code values}: the statement's arguments, an {@code Object[]} (not copied: the caller's own copy) or a {@link List}. */
    RowKey(Object site, String sql, Object values) {
        this.site = site;
        this.sql = sql;
        this.values = values instanceof List ? ((List<?>) values).toArray()
                : values instanceof Object[] ? (Object[]) values : new Object[] {values};
        this.hash = (site.hashCode() * 31 + sql.hashCode()) * 31 + Arrays.hashCode(this.values);
    }

    /** The call site's key whose transactions this row's are. */
    public Object site() {
        return site;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RowKey)) {
            return false;
        }
        RowKey k = (RowKey) o;
        return hash == k.hash && site.equals(k.site) && sql.equals(k.sql) && Arrays.equals(values, k.values);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "row of " + ContentionControl.describe(site) + " at " + Errors.abbreviate(sql) + " ("
                + values.length + " values, not shown)";
    }
}
