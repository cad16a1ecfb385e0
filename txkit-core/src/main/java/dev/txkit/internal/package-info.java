/**
 * The machinery behind {@code dev.txkit.Database}: the {@code Engine} that wires the packages below into one runtime per Database.
 *
 * <p>Not API: not exported by the module, may change in any release.
 */
package dev.txkit.internal;
