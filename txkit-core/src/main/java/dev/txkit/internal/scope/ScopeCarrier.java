package dev.txkit.internal.scope;

import dev.txkit.internal.context.Checks;
import dev.txkit.internal.tx.PhysicalTx;
import dev.txkit.internal.tx.TxRuntime;

import java.util.concurrent.Callable;
import java.util.concurrent.Executor;

/**
 * Carries the scope's transaction to work that runs on another thread: the caller's transaction is
 * captured when the task is wrapped (or submitted, for executors), bound to the slot of the thread
 * that runs it for exactly the duration of the task, and the thread's previous binding is restored
 * afterwards, so nothing stays bound on pool threads. Works with any {@link dev.txkit.spi.ContextStorage}
 * and with platform and virtual threads. While a task runs, its thread is registered as a carrier of
 * the transaction so the self-deadlock detector knows who can still advance it. Stateless.
 */
public final class ScopeCarrier {
    private ScopeCarrier() {
    }

    public static Runnable wrap(TxRuntime rt, Runnable task) {
        Checks.require(task, "task");
        PhysicalTx captured = rt.current();
        return () -> {
            PhysicalTx previous = enter(rt, captured);
            try {
                task.run();
            } finally {
                exit(rt, captured, previous);
            }
        };
    }

    public static <T> Callable<T> wrap(TxRuntime rt, Callable<T> task) {
        Checks.require(task, "task");
        PhysicalTx captured = rt.current();
        return () -> {
            PhysicalTx previous = enter(rt, captured);
            try {
                return task.call();
            } finally {
                exit(rt, captured, previous);
            }
        };
    }

    public static Executor wrap(TxRuntime rt, Executor executor) {
        Checks.require(executor, "executor");
        return new Executor() {
            @Override
            public void execute(Runnable command) {
                executor.execute(wrap(rt, command));
            }

            @Override
            public String toString() {
                return "txkit propagating " + executor;
            }
        };
    }

    private static PhysicalTx enter(TxRuntime rt, PhysicalTx captured) {
        // A thread that is inside another scope (caller-runs policies, work stealing) runs the task in
        // the task's own scope and gets its binding back afterwards.
        PhysicalTx previous = rt.slot().get();
        rt.slot().set(captured);
        if (captured != null) {
            captured.carriers().add(Thread.currentThread());
        }
        return previous;
    }

    private static void exit(TxRuntime rt, PhysicalTx captured, PhysicalTx previous) {
        if (captured != null) {
            captured.carriers().remove(Thread.currentThread());
        }
        rt.slot().set(previous);
    }
}
