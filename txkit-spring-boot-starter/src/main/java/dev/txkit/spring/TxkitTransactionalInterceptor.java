package dev.txkit.spring;

import dev.txkit.Database;
import dev.txkit.ErrorCode;
import dev.txkit.TxOptions;
import dev.txkit.TxkitException;
import dev.txkit.retry.RetryPolicy;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.annotation.AnnotatedElementUtils;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The advice behind {@link TxkitTransactional}: each call runs in {@code db.inTransaction} with the
 * options the annotation names (computed once per method). Thread-safe.
 */
public final class TxkitTransactionalInterceptor implements MethodInterceptor {
    private final Supplier<Database> database;
    private volatile Database db;
    private final Map<Method, TxOptions> options = new ConcurrentHashMap<>();

    /**
     * An interceptor that finds its Database lazily, so the advisor can be created before the Database bean.
     *
     * @param database supplies the Database; asked once, at the first call
     */
    public TxkitTransactionalInterceptor(Supplier<Database> database) {
        this.database = database;
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        if (db == null) {
            db = database.get();
        }
        TxOptions o = options.computeIfAbsent(invocation.getMethod(), m -> optionsFor(m, invocation.getThis()));
        boolean outermost = o.propagation() == dev.txkit.Propagation.REQUIRES_NEW || !db.inScope();
        try {
            return db.inTransaction(o, tx -> {
                try {
                    return invocation.proceed();
                } catch (RuntimeException e) {
                    throw outermost ? Conflicts.retryable(db, o, e) : e;
                } catch (Exception e) {
                    throw e;
                } catch (Throwable t) {
                    throw new Carried(t); // an Error: carried through txkit (which rolls back) and rethrown as is
                }
            });
        } catch (Carried c) {
            throw c.getCause();
        }
    }

    private TxOptions optionsFor(Method method, Object target) {
        Class<?> type = target == null ? method.getDeclaringClass() : AopUtils.getTargetClass(target);
        Method specific = AopUtils.getMostSpecificMethod(method, type);
        TxkitTransactional a = AnnotatedElementUtils.findMergedAnnotation(specific, TxkitTransactional.class);
        if (a == null) {
            a = AnnotatedElementUtils.findMergedAnnotation(type, TxkitTransactional.class);
        }
        TxOptions o = db.defaults().withPropagation(a.propagation()).withReadOnly(a.readOnly());
        if (a.isolation().length > 1) {
            throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "@TxkitTransactional on " + specific.getName()
                    + " names " + a.isolation().length + " isolation levels; name at most one");
        }
        if (a.isolation().length == 1) {
            o = o.withIsolation(a.isolation()[0]);
        }
        if (!a.timeout().isEmpty()) {
            o = o.withTimeout(DurationStyle.detectAndParse(a.timeout()));
        }
        if (a.maxAttempts() < 0) {
            throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "@TxkitTransactional(maxAttempts) on "
                    + specific.getName() + " must be 0 (default) or positive but was " + a.maxAttempts());
        }
        if (a.maxAttempts() == 1) {
            o = o.withRetry(RetryPolicy.none());
        } else if (a.maxAttempts() > 1) {
            o = o.withRetry(o.retry().toBuilder().maxAttempts(a.maxAttempts()).build());
        }
        return o;
    }

    /** Carries a {@link Throwable} that is not an {@link Exception} through the callback. */
    private static final class Carried extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Carried(Throwable cause) {
            super(null, cause, false, false);
        }
    }
}
