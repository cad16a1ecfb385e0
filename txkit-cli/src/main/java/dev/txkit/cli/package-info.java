/**
 * The {@code txkit} command line ({@code demo}, {@code doctor}, {@code bench}): the seed scenarios run the
 * unprotected way and the txkit way side by side, database checks, and the contention harness. Not published.
 */
package dev.txkit.cli;
