package dev.txkit.examples.wallet;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The reference web service: idempotent debits, transfers and a document editor whose stale saves
 * get 409, on PostgreSQL (an embedded server unless {@code spring.datasource.url} is set).
 */
@SpringBootApplication
public class WalletApplication {
    public static void main(String[] args) {
        SpringApplication.run(WalletApplication.class, args);
    }
}
