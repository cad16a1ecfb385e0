package dev.txkit.dialect;

import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;

import static org.assertj.core.api.Assertions.assertThat;

class GaleraAbortsTest {
    private static final LocalDateTime NOW = LocalDateTime.of(2026, 12, 1, 9, 30, 15);

    private static String status(String stamp, int victim, long thread1, long thread2) {
        return "=====================================\n"
                + "2026-12-01 09:30:15 0x7f00 INNODB MONITOR OUTPUT\n"
                + "------------------------\n"
                + "LATEST DETECTED DEADLOCK\n"
                + "------------------------\n"
                + stamp + " 0x7f1234\n"
                + "*** (1) TRANSACTION:\n"
                + "TRANSACTION 1201, ACTIVE 0 sec starting index read\n"
                + "MySQL thread id " + thread1 + ", OS thread handle 1, query id 90 localhost root Updating\n"
                + "*** (2) TRANSACTION:\n"
                + "TRANSACTION 1202, ACTIVE 0 sec starting index read\n"
                + "MariaDB thread id " + thread2 + ", OS thread handle 2, query id 91 localhost root Updating\n"
                + "*** WE ROLL BACK TRANSACTION (" + victim + ")\n"
                + "------------\n"
                + "TRANSACTIONS\n"
                + "------------\n"
                + "---TRANSACTION 1203, ACTIVE 3 sec\n"
                + "MySQL thread id 42, OS thread handle 3, query id 92 localhost root\n";
    }

    @Test
    void the_connection_named_as_innodbs_recent_victim_had_a_real_deadlock() {
        assertThat(GaleraAborts.victimRecord(status("2026-12-01 09:30:14", 2, 41, 42), 42, NOW)).startsWith("TRANSACTION 120");
        assertThat(GaleraAborts.victimRecord(status("2026-12-01 09:30:14", 1, 42, 41), 42, NOW)).startsWith("TRANSACTION 120");
    }

    @Test
    void the_other_party_of_a_deadlock_was_not_its_victim() {
        assertThat(GaleraAborts.victimRecord(status("2026-12-01 09:30:14", 1, 41, 42), 42, NOW)).isNull();
    }

    @Test
    void an_old_record_or_none_at_all_means_replication_aborted_the_transaction() {
        assertThat(GaleraAborts.victimRecord(status("2026-12-01 09:20:00", 2, 41, 42), 42, NOW)).isNull();
        assertThat(GaleraAborts.victimRecord("=====\nTRANSACTIONS\n------------\nMySQL thread id 42,\n", 42, NOW)).isNull();
        assertThat(GaleraAborts.victimRecord(null, 42, NOW)).isNull();
    }

    @Test
    void a_thread_in_the_transactions_list_below_the_section_does_not_count() {
        assertThat(GaleraAborts.victimRecord(status("2026-12-01 09:30:14", 2, 41, 43), 42, NOW)).isNull();
    }
}
