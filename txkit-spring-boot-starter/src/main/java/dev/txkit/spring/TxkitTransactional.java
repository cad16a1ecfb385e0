package dev.txkit.spring;

import dev.txkit.Isolation;
import dev.txkit.Propagation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the annotated method (or every public method of the annotated class) as
 * {@code db.inTransaction(options, tx -> method())}: the whole method is the transaction, and when
 * it is the outermost one a write conflict, deadlock or lock timeout re-runs the whole method with
 * txkit's retry policy and backoff. Spring code inside ({@code JdbcTemplate}, {@code @Transactional}
 * services, {@code TransactionSynchronization}s, {@code @TransactionalEventListener}s) joins the
 * transaction; synchronizations registered by a failed attempt hear of its rollback, those of the
 * final attempt run once, after its commit. Inside an existing transaction (txkit's or Spring's) the
 * method joins it and does not retry on its own: the outermost boundary retries.
 *
 * <p>Use it instead of {@code @Transactional}, not together with it on the same method. Unset
 * attributes take the {@code txkit.*} defaults.
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
public @interface TxkitTransactional {
    /** {@return what the method does when a transaction is already active; default REQUIRED (join it)} */
    Propagation propagation() default Propagation.REQUIRED;

    /** {@return the isolation level: at most one; empty means the database default} */
    Isolation[] isolation() default {};

    /** {@return whether the transaction is read-only; default {@code false}} */
    boolean readOnly() default false;

    /** {@return the timeout, a duration such as {@code "2s"} or {@code "500ms"}; empty means {@code txkit.timeout}} */
    String timeout() default "";

    /**
     * {@return the attempts in all, the first included (1 = never retry); 0 means {@code txkit.retry.max-attempts}}
     */
    int maxAttempts() default 0;
}
