/**
 * Contention control (issue 14): adaptive per-key admission of transactions whose attempts collide
 * ({@code ContentionControl}, {@code KeyLimit}), and the lanes that combine concurrent {@code Table.modify}
 * calls on one row into one transaction ({@code Combiner}). The engine reaches it through one hook per
 * attempt; a key that never collided costs one map lookup.
 *
 * <p>Not API: not exported by the module, may change in any release.
 */
package dev.txkit.internal.contention;
