/**
 * Micrometer meters for txkit transactions, attempts, retries, give-ups and contention. Exports
 * {@code dev.txkit.micrometer}. Micrometer has no module descriptor of its own; it is required by its
 * {@code Automatic-Module-Name}, {@code micrometer.core}.
 */
module dev.txkit.micrometer {
    requires transitive dev.txkit;
    requires micrometer.core;

    exports dev.txkit.micrometer;
}
