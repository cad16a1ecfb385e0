package dev.txkit.examples.wallet;

import dev.txkit.Database;
import dev.txkit.IdempotencyKey;
import dev.txkit.TxOptions;
import dev.txkit.retry.RetryPolicy;
import dev.txkit.table.Table;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

import java.time.Duration;

/**
 * Debits (seeds 000 and 001): a version-checked read-modify-write of the wallet plus a charge row,
 * under the request's idempotency key, so a retried or double-clicked request charges once. The
 * charge is written with Spring's JdbcTemplate: it joins txkit's transaction. Thread-safe.
 */
@Service
public class WalletService {
    /** Conflicts on a hot wallet are retried (reads lock the row after the first conflict); never shown to the user. */
    private static final TxOptions DEBIT = TxOptions.defaults().withRetry(RetryPolicy.optimistic().toBuilder()
            .maxAttempts(10).maxDuration(Duration.ofSeconds(20)).build()).withMaxWait(Duration.ofSeconds(10));

    private final Database db;
    private final JdbcTemplate jdbc;

    public WalletService(Database db, JdbcTemplate jdbc) {
        this.db = db;
        this.jdbc = jdbc;
    }

    public Receipt debit(String walletId, long amount, String idempotencyKey) {
        if (amount <= 0) {
            throw new BusinessRule("amount must be positive");
        }
        IdempotencyKey key = IdempotencyKey.of(idempotencyKey).withRequest("debit " + walletId + " " + amount);
        return db.idempotent(DEBIT, key, Receipt.CODEC, tx -> {
            Table<Wallet> wallets = tx.table(Wallet.class);
            Wallet w = wallets.get(walletId);
            if (w.balance() < amount) {
                throw new BusinessRule("insufficient funds");
            }
            Wallet after = wallets.update(w.minus(amount));
            Long chargeId = jdbc.queryForObject("INSERT INTO charge (wallet_id, amount, idem_key) VALUES (?, ?, ?)"
                    + " RETURNING id", Long.class, walletId, amount, idempotencyKey);
            return new Receipt(walletId, amount, after.balance(), chargeId);
        });
    }

    public Wallet wallet(String id) {
        return db.table(Wallet.class).get(id);
    }
}
