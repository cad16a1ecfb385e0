package dev.txkit.internal.scope;

import dev.txkit.internal.context.Checks;
import dev.txkit.internal.tx.TxRuntime;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An {@link ExecutorService} that runs every task inside the transaction of the scope that
 * submitted it (see {@link ScopeCarrier}); lifecycle calls go to the wrapped service. Thread-safe
 * as the wrapped service is.
 */
public final class PropagatingExecutorService implements ExecutorService {
    private final TxRuntime rt;
    private final ExecutorService delegate;

    public PropagatingExecutorService(TxRuntime rt, ExecutorService delegate) {
        Checks.require(delegate, "executor");
        this.rt = rt;
        this.delegate = delegate;
    }

    private <T> List<Callable<T>> wrapAll(Collection<? extends Callable<T>> tasks) {
        Checks.require(tasks, "tasks");
        List<Callable<T>> wrapped = new ArrayList<>(tasks.size());
        for (Callable<T> task : tasks) {
            wrapped.add(ScopeCarrier.wrap(rt, task));
        }
        return wrapped;
    }

    @Override
    public void execute(Runnable command) {
        delegate.execute(ScopeCarrier.wrap(rt, command));
    }

    @Override
    public <T> Future<T> submit(Callable<T> task) {
        return delegate.submit(ScopeCarrier.wrap(rt, task));
    }

    @Override
    public <T> Future<T> submit(Runnable task, T result) {
        return delegate.submit(ScopeCarrier.wrap(rt, task), result);
    }

    @Override
    public Future<?> submit(Runnable task) {
        return delegate.submit(ScopeCarrier.wrap(rt, task));
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        return delegate.invokeAll(wrapAll(tasks));
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException {
        return delegate.invokeAll(wrapAll(tasks), timeout, unit);
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        return delegate.invokeAny(wrapAll(tasks));
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        return delegate.invokeAny(wrapAll(tasks), timeout, unit);
    }

    @Override
    public void shutdown() {
        delegate.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
        return delegate.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
        return delegate.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return delegate.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return delegate.awaitTermination(timeout, unit);
    }

    @Override
    public String toString() {
        return "txkit propagating " + delegate;
    }
}
