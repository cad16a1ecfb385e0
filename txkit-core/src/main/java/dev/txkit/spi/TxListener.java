package dev.txkit.spi;

/**
 * Receives events from txkit. Every method defaults to doing nothing, so an implementation
 * overrides only what it needs. Methods are called on the thread where the event happens and must
 * be quick and thread-safe; an exception thrown by a listener is logged and otherwise ignored.
 */
public interface TxListener {

    /**
     * Something failed that cannot be reported to the caller without misrepresenting the outcome:
     * an afterCommit hook that threw (the commit stands), or restoring connection state after a
     * transaction. {@code description} names what failed; no bound values are included.
     */
    default void problem(String description, Throwable failure) {
    }
}
