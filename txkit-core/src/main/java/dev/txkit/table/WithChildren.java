package dev.txkit.table;

import java.util.List;

/**
 * What a nested write ({@link Table#insertWithChildren}) stored: the parent with its generated id
 * and the children with their foreign key (and their own generated ids) filled in. Immutable.
 *
 * @param <P> the parent record type
 * @param <C> the child record type
 * @param parent the stored parent
 * @param children the stored children, in the order given; unmodifiable
 */
public record WithChildren<P, C>(P parent, List<C> children) {
    /**
     * Keeps an unmodifiable copy of {@code children}.
     *
     * @param parent the stored parent
     * @param children the stored children, copied
     */
    public WithChildren {
        children = List.copyOf(children);
    }
}
