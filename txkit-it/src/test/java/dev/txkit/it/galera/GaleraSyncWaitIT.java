package dev.txkit.it.galera;

import dev.txkit.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Read-your-writes across nodes. Galera applies a committed write set on the other nodes
 * asynchronously after certification, so a read on node 2 right after a commit on node 1 can
 * miss it. {@code wsrep_sync_wait=1} makes each read wait until the node has applied everything
 * committed before it; the README recommends setting it per connection through the driver's
 * {@code sessionVariables} (no round trip per transaction).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GaleraSyncWaitIT {
    private static final int ROUNDS = 300;
    private String name;
    private Database writer;
    private Database causalReader;
    private Database plainReader;

    @BeforeAll
    void cluster() {
        Galera.assumeUp();
        name = Galera.createDatabase("gsync");
        Galera.execute(0, name, "CREATE TABLE counter (id INT PRIMARY KEY, n INT NOT NULL)", "INSERT INTO counter VALUES (1, 0)");
        writer = Database.create(Galera.pool(Galera.url(0, name), 2));
        causalReader = Database.create(Galera.pool(Galera.url(1, name) + "&sessionVariables=wsrep_sync_wait=1", 2));
        plainReader = Database.create(Galera.pool(Galera.url(1, name), 2));
    }

    @AfterAll
    void drop() {
        if (writer != null) {
            writer.close();
            causalReader.close();
            plainReader.close();
        }
        if (name != null) {
            Galera.dropDatabase(name);
        }
    }

    /** The control: without the setting the same loop does read stale values, so the check above can fail. */
    @Test
    void without_wsrep_sync_wait_the_same_loop_reads_stale_values() {
        int stale = 0;
        int rounds = 0;
        // Bounded: stop at the first stale read (typically within a few dozen rounds here).
        for (int i = 1; i <= 10 * ROUNDS && stale == 0; i++, rounds++) {
            int round = -i;
            writer.useTransaction(tx -> tx.sql("UPDATE counter SET n = ? WHERE id = 1", round).update());
            int seen = plainReader.inTransaction(tx -> tx.sql("SELECT n FROM counter WHERE id = 1").one(Integer.class));
            if (seen != round) {
                stale++;
            }
        }
        System.out.println("galera: " + stale + " of " + rounds + " reads on node 2 missed the write just committed on node 1");
        assertThat(stale).isPositive();
    }

    @Test
    void with_wsrep_sync_wait_a_read_on_another_node_always_sees_the_write_just_committed() {
        for (int i = 1; i <= ROUNDS; i++) {
            int round = i;
            writer.useTransaction(tx -> tx.sql("UPDATE counter SET n = ? WHERE id = 1", round).update());
            int seen = causalReader.inTransaction(tx -> tx.sql("SELECT n FROM counter WHERE id = 1").one(Integer.class));
            assertThat(seen).as("round " + round).isEqualTo(round);
        }
    }
}
