package dev.txkit.table;

import java.util.List;

/**
 * What a nested write ({@link Table#insertWithChildren}) stored: the parent with its generated id
 * and the children with their foreign key (and their own generated ids) filled in. Immutable.
 *
 * @param <P> the parent record type
 * @param <C> the child record type
 */
public record WithChildren<P, C>(P parent, List<C> children) {
    public WithChildren {
        children = List.copyOf(children);
    }
}
