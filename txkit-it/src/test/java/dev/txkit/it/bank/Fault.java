package dev.txkit.it.bank;

import dev.txkit.testing.TcpProxy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One kind of fault a phase injects, fired by the workload's injector thread every {@link #period}
 * until the clients are done. {@link #fired} counts faults that reached a target (a session killed,
 * a statement cancelled, a connection cut, a restart).
 *
 * <p>Implementations are used by one injector thread; {@link #fired} may be read from any thread.
 */
interface Fault {
    Duration period();

    void fire() throws Exception;

    int fired();

    /** No fault: the baseline phase. */
    static Fault none() {
        return new Fault() {
            @Override
            public Duration period() {
                return Duration.ofSeconds(1);
            }

            @Override
            public void fire() {
            }

            @Override
            public int fired() {
                return 0;
            }
        };
    }

    /**
     * Kills one client session every {@code period}, preferring one inside a transaction (running a
     * statement, waiting for a lock, between statements or committing); else an idle pooled one.
     */
    static Fault kills(ServerAdmin admin, Duration period) {
        return signal(period, () -> {
            List<Long> ids = admin.sessions(ServerAdmin.Sessions.IN_TRANSACTION);
            if (ids.isEmpty()) {
                ids = admin.sessions(ServerAdmin.Sessions.ALL);
            }
            if (ids.isEmpty()) {
                return false;
            }
            admin.kill(ids.get(ThreadLocalRandom.current().nextInt(ids.size())));
            return true;
        });
    }

    /** Cancels the running statement of one client session every {@code period} (none running: nothing). */
    static Fault cancels(ServerAdmin admin, Duration period) {
        return signal(period, () -> {
            List<Long> ids = admin.sessions(ServerAdmin.Sessions.RUNNING);
            if (ids.isEmpty()) {
                return false;
            }
            admin.cancel(ids.get(ThreadLocalRandom.current().nextInt(ids.size())));
            return true;
        });
    }

    /**
     * Arms the proxy every {@code period} (when the last cut happened) to cut the next COMMIT,
     * alternately after forwarding it (it commits; the client never hears) and instead of it.
     */
    static Fault commitCuts(TcpProxy proxy, Duration period) {
        int before = proxy.cuts();
        AtomicInteger arms = new AtomicInteger();
        return new Fault() {
            @Override
            public Duration period() {
                return period;
            }

            @Override
            public void fire() {
                if (!proxy.isArmed()) {
                    proxy.arm(arms.getAndIncrement() % 2 == 0 ? TcpProxy.Cut.AFTER_COMMIT : TcpProxy.Cut.BEFORE_COMMIT);
                }
            }

            @Override
            public int fired() {
                return proxy.cuts() - before;
            }
        };
    }

    /** Crashes the server once, a third into the phase, and starts it again on the same data. */
    static Fault restart(ThrowawayServer server, Duration phaseLength) {
        return signal(phaseLength.dividedBy(3), new Signal() {
            private boolean done;

            @Override
            public boolean send() throws Exception {
                if (done) {
                    return false;
                }
                done = true;
                server.crashAndRestart();
                return true;
            }
        });
    }

    /** Both faults, each fired on its own period (the injector ticks at the shorter one). */
    static Fault both(Fault a, Fault b) {
        long[] last = {System.nanoTime(), System.nanoTime()};
        return new Fault() {
            @Override
            public Duration period() {
                return a.period().compareTo(b.period()) < 0 ? a.period() : b.period();
            }

            @Override
            public void fire() throws Exception {
                long now = System.nanoTime();
                Fault[] faults = {a, b};
                for (int i = 0; i < 2; i++) {
                    // a tick may come a little early; 90 % of the period counts as due
                    if (now - last[i] >= faults[i].period().toNanos() * 9 / 10) {
                        last[i] = now;
                        faults[i].fire();
                    }
                }
            }

            @Override
            public int fired() {
                return a.fired() + b.fired();
            }
        };
    }

    /** One attempt to hit a target; true when one was hit. */
    @FunctionalInterface
    interface Signal {
        boolean send() throws Exception;
    }

    private static Fault signal(Duration period, Signal signal) {
        AtomicInteger hits = new AtomicInteger();
        return new Fault() {
            @Override
            public Duration period() {
                return period;
            }

            @Override
            public void fire() throws Exception {
                if (signal.send()) {
                    hits.incrementAndGet();
                }
            }

            @Override
            public int fired() {
                return hits.get();
            }
        };
    }
}
