package dev.txkit;

/**
 * What txkit's contention control knows about one contention key at one moment (an entry of
 * {@code Database.contention()}): how many of its transactions it admits at once, how many run and
 * wait now, and how often their attempts have collided lately. Only keys whose transactions have
 * collided at least once are listed. Immutable; a snapshot, not a live view.
 *
 * @param key          the contention key: the callback's class, or the key given with
 *                     {@link TxOptions#withContentionKey(Object)}; or one row of a call site's, learnt from
 *                     the first statement of its transactions when they collide (its {@code toString()}
 *                     names the call site and the statement, never the bound values)
 * @param hot          whether admission is limited right now (the key collided lately)
 * @param limit        transactions admitted at once while hot; {@link Integer#MAX_VALUE} while cold
 * @param inFlight     attempts of this key holding a place now (one stuck in flight past the key's stall time,
 *                     at least 1 s, has given its place up and is not counted)
 * @param queued       transactions waiting for admission now (they hold no connection)
 * @param conflictRate recent share of attempts that ended in a conflict, deadlock or lock timeout (0–1,
 *                     exponentially weighted)
 * @param attempts     attempts counted since the key first collided
 * @param conflicts    of those, the ones that collided
 */
public record KeyContention(Object key, boolean hot, int limit, int inFlight, int queued, double conflictRate,
                            long attempts, long conflicts) {
}
