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

    @Test
    void tells_a_single_host_url_from_a_failover_url_and_asks_for_a_short_deny_list() {
        assertThat(GaleraChecks.urlAdvice("jdbc:mariadb://db1:3306/app")).startsWith("one host");
        assertThat(GaleraChecks.urlAdvice("jdbc:mariadb:sequential://db1:3306,db2:3306/app?user=x"))
                .startsWith("add retriesAllDown=3");
        assertThat(GaleraChecks.urlAdvice("jdbc:mariadb:sequential://db1,db2,db3/app?retriesAllDown=3&deniedListTimeout=2000"))
                .startsWith("ok");
    }
}
