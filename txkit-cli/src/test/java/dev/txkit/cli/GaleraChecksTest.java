package dev.txkit.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GaleraChecksTest {
    private static final String OPTIONS = "base_dir = /var/lib/mysql/; evs.inactive_timeout = PT3S;"
            + " evs.suspect_timeout = PT2S; gcache.size = 64M";

    @Test
    void reads_one_option_out_of_wsrep_provider_options() {
        assertThat(GaleraChecks.option(OPTIONS, "evs.suspect_timeout")).isEqualTo("PT2S");
        assertThat(GaleraChecks.option(OPTIONS, "gcache.size")).isEqualTo("64M");
        assertThat(GaleraChecks.option(OPTIONS, "evs.missing")).isNull();
        assertThat(GaleraChecks.option(null, "evs.suspect_timeout")).isNull();
    }

    @Test
    void the_advice_names_the_timeout_and_how_it_relates_to_txkits_deadline() {
        assertThat(GaleraChecks.suspectAdvice(OPTIONS)).startsWith("PT2S:").contains("transaction timeout");
        assertThat(GaleraChecks.suspectAdvice("gcache.size = 1G")).isEqualTo("(not reported)");
    }
}
