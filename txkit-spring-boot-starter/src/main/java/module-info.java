/**
 * txkit's Spring Boot starter: auto-configures a txkit {@code Database} over the application's
 * DataSource and joins Spring-managed transactions in both directions. Exports {@code dev.txkit.spring}.
 *
 * <p>Spring's jars carry no module descriptors; they are required by their {@code Automatic-Module-Name}s.
 * The web layer (ProblemDetail advice), Boot's transaction auto-configuration and Micrometer are optional
 * ({@code requires static}), as they are in the POM: each part of the auto-configuration switches on only
 * when its classes are present. The package is opened to the Spring modules that instantiate the
 * auto-configuration classes and call their package-private {@code @Bean} methods by reflection; the
 * auto-configurations set {@code proxyBeanMethods = false}, so no CGLIB subclass is made.
 */
module dev.txkit.spring {
    requires transitive dev.txkit;
    requires spring.aop;
    requires spring.beans;
    requires spring.boot;
    requires spring.boot.autoconfigure;
    requires spring.context;
    requires spring.core;
    requires spring.jdbc;
    requires spring.tx;
    requires static spring.boot.transaction;
    requires static spring.web;
    requires static micrometer.core;
    requires static dev.txkit.micrometer;

    exports dev.txkit.spring;
    opens dev.txkit.spring to spring.core, spring.beans, spring.context;
}
