package com.example.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.txkit.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The application starts as it would in production (main class, embedded Tomcat on a free port) and
 * txkit runs transactions on Boot's DataSource. Started by hand rather than with @SpringBootTest so
 * that a broken classpath shows as the application's own startup failure, which is what users saw.
 */
class ConsumerApplicationTest {
    private static ConfigurableApplicationContext app;

    @BeforeAll
    static void start() {
        app = SpringApplication.run(ConsumerApplication.class, "--server.port=0");
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void txkitRunsTransactionsOnBootsDataSource() {
        Guestbook guestbook = app.getBean(Guestbook.class);
        long before = guestbook.count();
        assertThat(guestbook.sign("ada")).isEqualTo(before + 1);
        assertThatThrownBy(() -> guestbook.signAndFail("bob")).hasMessage("failed after inserting bob");
        assertThat(guestbook.count()).isEqualTo(before + 1);
        // Spring's JdbcTemplate sees what txkit committed, and nothing of the rolled-back transaction.
        JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
        assertThat(jdbc.queryForObject("select count(*) from guestbook where name = 'ada'", Long.class)).isEqualTo(1);
        assertThat(app.getBean(Database.class).sql("select count(*) from guestbook where name = 'bob'")
                .one(Long.class)).isZero();
    }

    @Test
    void theWebServerIsUp() {
        assertThat(app.getEnvironment().getProperty("local.server.port", Integer.class)).isPositive();
    }
}
