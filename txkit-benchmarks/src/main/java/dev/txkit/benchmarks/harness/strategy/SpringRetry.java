package dev.txkit.benchmarks.harness.strategy;

import dev.txkit.benchmarks.harness.Access;
import dev.txkit.benchmarks.harness.Codes;
import dev.txkit.benchmarks.harness.Env;
import dev.txkit.benchmarks.harness.Operation;
import dev.txkit.benchmarks.harness.Result;
import dev.txkit.benchmarks.harness.Tally;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.retry.RetryCallback;
import org.springframework.retry.RetryContext;
import org.springframework.retry.RetryListener;
import org.springframework.retry.support.RetryTemplate;

/**
 * The Spring way: a {@code TransactionTemplate} at SERIALIZABLE over a {@code JdbcTransactionManager}
 * (which translates COMMIT failures too), inside spring-retry's {@code RetryTemplate} with 10 attempts
 * and random exponential backoff from 5 ms to 500 ms, retrying {@code TransientDataAccessException}
 * (serialization failures, deadlocks, lock timeouts as Spring translates them). The work runs through
 * {@code JdbcTemplate}.
 *
 * <p>Thread-safe (RetryTemplate and TransactionTemplate are).
 */
public final class SpringRetry extends Named {
    private final RetryTemplate retry = RetryTemplate.builder()
            .maxAttempts(10)
            .exponentialBackoff(5, 2.0, 500, true)
            .retryOn(TransientDataAccessException.class)
            .withListener(new RetryListener() {
                @Override
                public <T, E extends Throwable> void onError(RetryContext context, RetryCallback<T, E> callback,
                                                             Throwable failure) {
                    Env.tally().abort(Codes.of(failure));
                }
            })
            .build();

    public SpringRetry() {
        super("spring-retry", "exp-random", Access.PLAIN);
    }

    @Override
    public Result run(Env env, Operation op, Tally tally) {
        return retry.execute(context -> env.spring.execute(status -> {
            tally.attempt();
            return env.jdbcTemplate.execute((ConnectionCallback<Result>) c -> op.jdbc(c, Access.PLAIN));
        }));
    }
}
