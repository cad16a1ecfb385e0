/**
 * txkit for jOOQ: a {@code TransactionProvider} that runs {@code DSLContext.transaction(...)} as txkit
 * transactions. Exports {@code dev.txkit.jooq}; jOOQ itself (3.19+) comes from the application.
 */
module dev.txkit.jooq {
    requires transitive dev.txkit;
    requires transitive org.jooq;

    exports dev.txkit.jooq;
}
