package dev.txkit.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Proves the {@code jdk21} Maven profile works: this source set is compiled with release 21 and
 * run only on JDK 21+. Every class in src/test/java21 is named {@code Jdk21*} so .ci/run can
 * select them.
 */
class Jdk21ProfileTest {

    @Test
    void runsOnJdk21OrNewer() throws InterruptedException {
        assertThat(Runtime.version().feature()).isGreaterThanOrEqualTo(21);

        // Thread.ofVirtual() does not exist in release 17, so this also proves testRelease=21.
        AtomicBoolean virtual = new AtomicBoolean();
        Thread.ofVirtual().start(() -> virtual.set(Thread.currentThread().isVirtual())).join();
        assertThat(virtual).isTrue();
    }
}
