package dev.txkit.internal.jdbc;

import java.util.Collection;

/**
 * What the layers below and beside transactions see of an open one: the pool guard (who holds a
 * connection), the watchdog (the deadline) and the self-deadlock detector (who could advance it, what
 * it runs, its server session). Declared here so those layers need not know the transaction class.
 * Implementations are thread-safe.
 */
public interface TxView {
    /** txkit's number of the transaction, for messages. */
    long id();

    /** The thread that began it. */
    Thread owner();

    /** Threads running propagated work in it right now. */
    Collection<Thread> carriers();

    /** The statement running in it right now, or {@code null}. */
    InFlight current();

    /** Whether it has not ended yet. */
    boolean isOpen();

    /** The server session id of its connection, or -1 when unknown. */
    long sessionId();

    /** Milliseconds since it began. */
    long ageMillis();

    /** Where it began, when begin sites are captured, else {@code null}. */
    Throwable beginSite();

    /** Called by the watchdog on every tick: cancel or roll back once the deadline has passed. */
    void onTick(long now);
}
