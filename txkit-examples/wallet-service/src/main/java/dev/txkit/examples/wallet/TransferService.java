package dev.txkit.examples.wallet;

import dev.txkit.Isolation;
import dev.txkit.spring.TxkitTransactional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Transfers (seed 000's transfer), written as plain Spring code with JdbcTemplate. Under
 * SERIALIZABLE two concurrent transfers can conflict; {@link TxkitTransactional} re-runs the whole
 * method then, so the caller never sees that conflict. Thread-safe.
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
        Long balance = jdbc.queryForObject("SELECT balance FROM wallet WHERE id = ?", Long.class, from);
        if (balance < amount) {
            throw new BusinessRule("insufficient funds");
        }
        jdbc.update("UPDATE wallet SET balance = balance - ?, version = version + 1 WHERE id = ?", amount, from);
        if (jdbc.update("UPDATE wallet SET balance = balance + ?, version = version + 1 WHERE id = ?", amount, to) != 1) {
            throw new BusinessRule("no wallet " + to);
        }
        return new Transfer(from, to, amount, balance - amount);
    }
}
