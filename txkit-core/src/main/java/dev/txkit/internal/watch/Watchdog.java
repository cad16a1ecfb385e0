package dev.txkit.internal.watch;

import dev.txkit.internal.Engine;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One daemon thread for the whole JVM that enforces transaction deadlines (cancel the running
 * statement, roll back idle expired transactions) and runs the self-deadlock detector. A tick
 * every 10 ms keeps deadlines accurate to well under the 1 s granularity JDBC query timeouts offer,
 * without a timer task per transaction on the hot path.
 */
public final class Watchdog {
    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final Set<Engine> ENGINES = ConcurrentHashMap.newKeySet();
    private static volatile Thread thread;

    private Watchdog() {
    }

    public static void watch(Engine engine) {
        ENGINES.add(engine);
        if (thread == null) {
            start();
        }
    }

    public static void forget(Engine engine) {
        ENGINES.remove(engine);
    }

    private static synchronized void start() {
        if (thread != null) {
            return;
        }
        Thread t = new Thread(Watchdog::loop, "txkit-watchdog");
        t.setDaemon(true);
        t.start();
        thread = t;
    }

    private static void loop() {
        while (true) {
            long now = System.nanoTime();
            for (Engine engine : ENGINES) {
                try {
                    engine.tick(now);
                } catch (Throwable t) {
                    engine.report("watchdog tick", t);
                }
            }
            LockSupport.parkNanos(TICK_NANOS);
        }
    }
}
