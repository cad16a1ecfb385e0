package dev.txkit.spring;

import dev.txkit.Database;
import dev.txkit.micrometer.ContentionGauges;
import dev.txkit.micrometer.TxkitMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Registers {@link TxkitMetrics} (a txkit listener, picked up by the auto-configured Database)
 * when {@code txkit-micrometer} is on the class path and the application has a {@link MeterRegistry}.
 */
@AutoConfiguration(before = TxkitAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
        // Spring Boot 3.5 names of the same (absent names are ignored)
        "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass({TxkitMetrics.class, MeterRegistry.class})
@ConditionalOnBooleanProperty(name = "txkit.enabled", matchIfMissing = true)
@ConditionalOnBean(MeterRegistry.class)
public final class TxkitMetricsAutoConfiguration {
    /** Instantiated by Spring Boot when the auto-configuration applies. */
    public TxkitMetricsAutoConfiguration() {
    }


    @Bean
    @ConditionalOnMissingBean
    TxkitMetrics txkitMetrics(MeterRegistry registry) {
        return new TxkitMetrics(registry);
    }

    /** The contention gauges ({@link ContentionGauges}) over the application's Database, once it exists. */
    @Bean
    @ConditionalOnMissingBean(name = "txkitContentionGauges")
    SmartInitializingSingleton txkitContentionGauges(MeterRegistry registry, ObjectProvider<Database> database) {
        return () -> database.ifAvailable(db -> ContentionGauges.register(registry, db, Tags.empty()));
    }
}
