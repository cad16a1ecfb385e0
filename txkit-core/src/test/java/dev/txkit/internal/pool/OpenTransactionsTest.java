package dev.txkit.internal.pool;

import dev.txkit.internal.jdbc.InFlight;
import dev.txkit.internal.jdbc.LockMarks;
import dev.txkit.internal.jdbc.TxView;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 14: the slot array behind the registry's open transactions behaves as the concurrent set it replaced. */
class OpenTransactionsTest {
    private final AtomicLong ids = new AtomicLong();

    @Test
    void addRemoveContainsSizeAndIterationAgreeAcrossSlotsAndOverflow() {
        OpenTransactions open = new OpenTransactions();
        List<TxView> txs = new ArrayList<>();
        for (int i = 0; i < 3 * OpenTransactions.SLOTS; i++) { // ids wrap around the slots: most go to the overflow
            TxView tx = tx(ids.incrementAndGet());
            txs.add(tx);
            assertThat(open.add(tx)).isTrue();
        }
        assertThat(open).hasSize(txs.size()).containsExactlyInAnyOrderElementsOf(txs);
        for (TxView tx : txs) {
            assertThat(open.contains(tx)).isTrue();
        }
        TxView stranger = tx(txs.get(0).id()); // same id, so same slot, but not the registered one
        assertThat(open.contains(stranger)).isFalse();
        assertThat(open.remove(stranger)).isFalse();

        for (int i = 0; i < txs.size(); i += 2) {
            assertThat(open.remove(txs.get(i))).isTrue();
            assertThat(open.remove(txs.get(i))).isFalse();
        }
        List<TxView> left = new ArrayList<>();
        for (int i = 1; i < txs.size(); i += 2) {
            left.add(txs.get(i));
        }
        assertThat(open).hasSize(left.size()).containsExactlyInAnyOrderElementsOf(left);
        assertThat(open.contains(txs.get(0))).isFalse();
        left.forEach(open::remove);
        assertThat(open.isEmpty()).isTrue();
        assertThat(open.size()).isZero();
        assertThat(open.iterator().hasNext()).isFalse();
    }

    @Test
    void concurrentAddAndRemoveLoseNothingAndLeaveNothing() throws Exception {
        OpenTransactions open = new OpenTransactions();
        int threads = 4;
        int rounds = 20_000;
        TxView longLived = tx(ids.incrementAndGet()); // stays open throughout: every iteration must see it
        open.add(longLived);
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    start.await();
                    List<TxView> mine = new ArrayList<>();
                    for (int r = 0; r < rounds; r++) {
                        TxView tx = tx(ids.incrementAndGet());
                        assertThat(open.add(tx)).isTrue();
                        mine.add(tx);
                        assertThat(open.contains(tx)).isTrue();
                        if (mine.size() > 3 || r % 7 == 0) { // a few open at once per thread, ended out of order
                            TxView end = mine.remove(r % mine.size());
                            assertThat(open.remove(end)).isTrue();
                            assertThat(open.contains(end)).isFalse();
                        }
                    }
                    for (TxView tx : mine) {
                        assertThat(open.remove(tx)).isTrue();
                    }
                    return null;
                }));
            }
            Future<Integer> watcher = pool.submit(() -> {
                start.await();
                int looks = 0;
                while (!done.get()) {
                    Set<TxView> seen = new HashSet<>();
                    for (TxView tx : open) {
                        assertThat(seen.add(tx)).as("no transaction twice in one iteration").isTrue();
                    }
                    assertThat(seen).contains(longLived);
                    looks++;
                }
                return looks;
            });
            for (Future<?> w : workers) {
                w.get(60, TimeUnit.SECONDS);
            }
            done.set(true);
            assertThat(watcher.get(60, TimeUnit.SECONDS)).isPositive();
        } finally {
            pool.shutdownNow();
        }
        assertThat(open).containsExactly(longLived);
        assertThat(open.remove(longLived)).isTrue();
        assertThat(open.isEmpty()).isTrue();
    }

    private static TxView tx(long id) {
        return new TxView() {
            @Override
            public long id() {
                return id;
            }

            @Override
            public Thread owner() {
                return Thread.currentThread();
            }

            @Override
            public Collection<Thread> carriers() {
                return List.of();
            }

            @Override
            public InFlight current() {
                return null;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public long sessionId() {
                return -1;
            }

            @Override
            public long ageMillis() {
                return 0;
            }

            @Override
            public Throwable beginSite() {
                return null;
            }

            @Override
            public void onTick(long now) {
            }

            @Override
            public LockMarks marks() {
                return null;
            }
        };
    }
}
