package dev.txkit.spring;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/** The smallest Boot application: Boot's own DataSource, JdbcTemplate and transaction manager, plus txkit. */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
class JoinApp {
    @Bean
    SpringSide springSide(JdbcTemplate jdbc) {
        return new SpringSide(jdbc);
    }

    @Bean
    RetriedService retriedService(JdbcTemplate jdbc, dev.txkit.Database db) {
        return new RetriedService(jdbc, db);
    }
}
