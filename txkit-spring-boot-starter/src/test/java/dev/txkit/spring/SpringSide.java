package dev.txkit.spring;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Plain Spring code: {@code @Transactional} methods over Boot's JdbcTemplate. */
class SpringSide {
    private final JdbcTemplate jdbc;

    SpringSide(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional
    public void inTransaction(Runnable body) {
        body.run();
    }

    @Transactional(isolation = Isolation.READ_COMMITTED)
    public void readCommitted(Runnable body) {
        body.run();
    }

    @Transactional(readOnly = true)
    public void readOnly(Runnable body) {
        body.run();
    }

    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void requiresNew(Runnable body) {
        body.run();
    }

    /** A service method that only adds to a balance. */
    @Transactional
    public void add(String id, int amount) {
        jdbc.update("UPDATE account SET balance = balance + ? WHERE id = ?", amount, id);
    }
}
