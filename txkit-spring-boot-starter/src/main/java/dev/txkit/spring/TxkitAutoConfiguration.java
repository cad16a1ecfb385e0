package dev.txkit.spring;

import dev.txkit.Database;
import dev.txkit.spi.TxListener;
import org.springframework.aop.Advisor;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.transaction.autoconfigure.TransactionManagerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;

import javax.sql.DataSource;

/**
 * Auto-configures one txkit {@link Database} over the application's {@link DataSource} bean (it is
 * borrowed: closing the Database leaves the pool to Spring), joined with Spring-managed
 * transactions in both directions through a {@link SpringTransactionBridge}. Boot's own
 * {@code DataSource}, {@code JdbcTemplate} and transaction manager stay as they are. Every bean backs
 * off when the application declares one of the same type; {@code txkit.enabled=false} removes them all.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
        // Spring Boot 3.5 names of the same (absent names are ignored)
        "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
        "org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration"})
@ConditionalOnClass({Database.class, DataSource.class})
@ConditionalOnBooleanProperty(name = "txkit.enabled", matchIfMissing = true)
@ConditionalOnSingleCandidate(DataSource.class)
@EnableConfigurationProperties(TxkitProperties.class)
public final class TxkitAutoConfiguration {
    /** Instantiated by Spring Boot when the auto-configuration applies. */
    public TxkitAutoConfiguration() {
    }


    @Bean
    @ConditionalOnMissingBean
    SpringTransactionBridge txkitTransactionBridge() {
        return new SpringTransactionBridge();
    }

    /** The Database; every {@link TxListener} bean (e.g. {@code TxkitMetrics}) is registered on it. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    Database txkitDatabase(DataSource dataSource, TxkitProperties properties, SpringTransactionBridge bridge,
                           ObjectProvider<TxListener> listeners) {
        Database.Builder b = Database.builder(dataSource)
                .defaults(properties.toOptions())
                .strict(properties.isStrict())
                .showValues(properties.isShowValues())
                .selfDeadlockThreshold(properties.getSelfDeadlockThreshold())
                .transactionBridge(bridge);
        listeners.orderedStream().forEach(b::listener);
        return b.build();
    }

    @Bean
    @ConditionalOnMissingBean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static TxkitTransactionalInterceptor txkitTransactionalInterceptor(ObjectProvider<Database> db) {
        // looked up at the first call: advisors are made early, before the DataSource should be
        return new TxkitTransactionalInterceptor(db::getObject);
    }

    /**
     * Applies {@link TxkitTransactional} (infrastructure role, so the auto-proxy creator that
     * {@code @EnableTransactionManagement} registers picks it up); ordered before Spring's
     * transaction advice, so a txkit boundary is the outer one when both are present.
     */
    @Bean
    @ConditionalOnMissingBean(name = "txkitTransactionalAdvisor")
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static Advisor txkitTransactionalAdvisor(TxkitTransactionalInterceptor interceptor) {
        ComposablePointcut pointcut = new ComposablePointcut(new AnnotationMatchingPointcut(TxkitTransactional.class, true))
                .union(AnnotationMatchingPointcut.forMethodAnnotation(TxkitTransactional.class));
        DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(pointcut, interceptor);
        advisor.setOrder(Ordered.HIGHEST_PRECEDENCE + 100);
        return advisor;
    }

    /** Spring's managers refuse a conflicting participant (isolation, read-only) as txkit does. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(TransactionManagerCustomizer.class)
    @ConditionalOnBooleanProperty(name = "txkit.validate-existing-transactions", matchIfMissing = true)
    static class ValidatingTransactionManagers {
        @Bean
        TransactionManagerCustomizer<AbstractPlatformTransactionManager> txkitValidateExistingTransactions() {
            return tm -> tm.setValidateExistingTransaction(true);
        }
    }

    /** The RFC 9457 advice for MVC and WebFlux controllers. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication
    @ConditionalOnClass(org.springframework.http.ProblemDetail.class)
    @ConditionalOnBooleanProperty(name = "txkit.problem-details.enabled", matchIfMissing = true)
    static class ProblemDetails {
        @Bean
        @ConditionalOnMissingBean
        TxkitProblemDetailsAdvice txkitProblemDetailsAdvice() {
            return new TxkitProblemDetailsAdvice();
        }
    }
}
