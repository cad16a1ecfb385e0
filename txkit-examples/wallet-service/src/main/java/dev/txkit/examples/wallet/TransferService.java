package dev.txkit.examples.wallet;

import dev.txkit.Isolation;
import dev.txkit.spring.TxkitTransactional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

import java.util.HashMap;
import java.util.Map;

/**
 * Transfers (seed 000's transfer), written as plain Spring code with JdbcTemplate. Under
 * SERIALIZABLE two concurrent transfers can still conflict; {@link TxkitTransactional} re-runs the
 * whole method then, so the caller never sees that conflict. Thread-safe.
 */
@Service
public class TransferService {
    private final JdbcTemplate jdbc;

    public TransferService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A transfer's outcome. */
    public record Transfer(String from, String to, long amount, long fromBalance) {
    }

    @TxkitTransactional(isolation = Isolation.SERIALIZABLE)
    public Transfer transfer(String from, String to, long amount) {
        if (amount <= 0 || from.equals(to)) {
            throw new BusinessRule("a transfer needs a positive amount and two different wallets");
        }
        // Both rows locked in id order: two opposite transfers then queue on the first row instead of
        // deadlocking (a deadlock is retried too, but only after the database's detection delay).
        Map<String, Long> balances = new HashMap<>();
        jdbc.query("SELECT id, balance FROM wallet WHERE id IN (?, ?) ORDER BY id FOR UPDATE",
                rs -> {
                    balances.put(rs.getString(1), rs.getLong(2));
                }, from, to);
        Long balance = balances.get(from);
        if (balance == null || !balances.containsKey(to)) {
            throw new BusinessRule("no such wallet");
        }
        if (balance < amount) {
            throw new BusinessRule("insufficient funds");
        }
        jdbc.update("UPDATE wallet SET balance = balance - ?, version = version + 1 WHERE id = ?", amount, from);
        jdbc.update("UPDATE wallet SET balance = balance + ?, version = version + 1 WHERE id = ?", amount, to);
        return new Transfer(from, to, amount, balance - amount);
    }
}
