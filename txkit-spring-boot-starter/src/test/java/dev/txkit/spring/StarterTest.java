package dev.txkit.spring;

import dev.txkit.Database;
import dev.txkit.micrometer.TxkitMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionManagerCustomizationAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import javax.sql.DataSource;
import java.io.InputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the auto-configuration registers and when, on an in-memory H2 DataSource made by Boot:
 * txkit's beans next to Boot's own, the properties, backing off, switching off, the metadata.
 */
class StarterTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:starter;DB_CLOSE_DELAY=-1")
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
                    TransactionAutoConfiguration.class, TransactionManagerCustomizationAutoConfiguration.class,
                    TxkitMetricsAutoConfiguration.class, TxkitAutoConfiguration.class));

    @Test
    void oneDatabaseOverBootsDataSourceNextToBootsOwnBeans() {
        runner.withPropertyValues("txkit.timeout=3s", "txkit.max-wait=700ms", "txkit.retry.max-attempts=2",
                "txkit.retry.backoff=5ms", "txkit.retry.max-backoff=50ms", "txkit.retry.budget=4s").run(ctx -> {
            assertThat(ctx).hasSingleBean(Database.class).hasSingleBean(DataSource.class)
                    .hasSingleBean(JdbcTemplate.class).hasSingleBean(PlatformTransactionManager.class)
                    .hasSingleBean(SpringTransactionBridge.class).hasSingleBean(TxkitTransactionalInterceptor.class);
            assertThat(ctx.getBean(PlatformTransactionManager.class)).isInstanceOf(JdbcTransactionManager.class);
            Database db = ctx.getBean(Database.class);
            assertThat(db.defaults().timeout()).isEqualTo(Duration.ofSeconds(3));
            assertThat(db.defaults().maxWait()).isEqualTo(Duration.ofMillis(700));
            assertThat(db.defaults().retry().maxAttempts()).isEqualTo(2);
            assertThat(db.defaults().retry().baseDelay()).isEqualTo(Duration.ofMillis(5));
            assertThat(db.defaults().retry().maxDelay()).isEqualTo(Duration.ofMillis(50));
            assertThat(db.defaults().retry().maxDuration()).isEqualTo(Duration.ofSeconds(4));
            assertThat(db.sql("SELECT 1").one(Integer.class)).isEqualTo(1);
            assertThat(((JdbcTransactionManager) ctx.getBean(PlatformTransactionManager.class))
                    .isValidateExistingTransaction()).isTrue();
            assertThat(ctx).doesNotHaveBean(TxkitMetrics.class); // no MeterRegistry here
        });
    }

    @Test
    void switchedOffLeavesNoTxkitBeanAndBootsBeansAlone() {
        runner.withPropertyValues("txkit.enabled=false").withUserConfiguration(Registry.class).run(ctx -> {
            assertThat(ctx).doesNotHaveBean(Database.class).doesNotHaveBean(SpringTransactionBridge.class)
                    .doesNotHaveBean(TxkitTransactionalInterceptor.class).doesNotHaveBean(TxkitMetrics.class)
                    .doesNotHaveBean(TxkitProblemDetailsAdvice.class).doesNotHaveBean("txkitTransactionalAdvisor")
                    .doesNotHaveBean("txkitValidateExistingTransactions");
            assertThat(ctx.getBeanNamesForType(Object.class)).noneMatch(n -> n.toLowerCase().contains("txkit"));
            assertThat(ctx).hasSingleBean(JdbcTemplate.class).hasSingleBean(PlatformTransactionManager.class);
        });
    }

    @Test
    void everyBeanBacksOffForTheApplicationsOwn() {
        runner.withUserConfiguration(OwnBeans.class).run(ctx -> {
            assertThat(ctx).hasSingleBean(Database.class).hasSingleBean(SpringTransactionBridge.class);
            assertThat(ctx.getBean(Database.class)).isSameAs(ctx.getBean(OwnBeans.class).db);
            assertThat(ctx.getBean(SpringTransactionBridge.class)).isSameAs(OwnBeans.BRIDGE);
        });
    }

    @Test
    void metricsAreWiredWhenThereIsARegistry() {
        runner.withUserConfiguration(Registry.class).run(ctx -> {
            assertThat(ctx).hasSingleBean(TxkitMetrics.class);
            Database db = ctx.getBean(Database.class);
            db.useTransaction(tx -> tx.sql("SELECT 1").one(Integer.class));
            MeterRegistry registry = ctx.getBean(MeterRegistry.class);
            assertThat(registry.get(TxkitMetrics.TRANSACTION).tags("outcome", "committed").timer().count()).isEqualTo(1);
            assertThat(registry.find(dev.txkit.micrometer.ContentionGauges.HOT_KEYS).gauge()).as("contention gauges wired").isNotNull();
        });
    }

    @Test
    void propertyMetadataShipsWithTheStarter() throws Exception {
        Map<String, JsonNode> byName = new HashMap<>();
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated by spring-boot-configuration-processor into the jar").isNotNull();
            for (JsonNode p : JsonMapper.builder().build().readTree(in).get("properties")) {
                byName.put(p.get("name").asString(), p);
            }
        }
        assertThat(byName).containsKeys("txkit.enabled", "txkit.timeout", "txkit.max-wait", "txkit.strict",
                "txkit.show-values", "txkit.self-deadlock-threshold", "txkit.retry.max-attempts", "txkit.retry.backoff",
                "txkit.retry.max-backoff", "txkit.retry.budget", "txkit.problem-details.enabled",
                "txkit.validate-existing-transactions");
        assertThat(byName.get("txkit.timeout").get("defaultValue").asString()).isEqualTo("5s");
        assertThat(byName.get("txkit.retry.max-attempts").get("defaultValue").asInt()).isEqualTo(5);
        assertThat(byName.values()).allSatisfy(p -> assertThat(p.get("description").asString()).isNotBlank());
    }

    @Configuration(proxyBeanMethods = false)
    static class Registry {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBeans {
        static final SpringTransactionBridge BRIDGE = new SpringTransactionBridge();
        Database db;

        @Bean
        SpringTransactionBridge myBridge() {
            return BRIDGE;
        }

        @Bean(destroyMethod = "close")
        Database myDatabase(DataSource ds) {
            db = Database.builder(ds).transactionBridge(BRIDGE).build();
            return db;
        }
    }
}
