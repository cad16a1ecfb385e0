package dev.txkit.internal.scope;

import dev.txkit.internal.Engine;
import dev.txkit.internal.tx.PhysicalTx;
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

    public static Runnable wrap(Engine engine, Runnable task) {
        Engine.require(task, "task");
        PhysicalTx captured = engine.slot.get();
        return () -> {
            PhysicalTx previous = enter(engine, captured);
            try {
                task.run();
            } finally {
                exit(engine, captured, previous);
            }
        };
    }

    public static <T> Callable<T> wrap(Engine engine, Callable<T> task) {
        Engine.require(task, "task");
        PhysicalTx captured = engine.slot.get();
        return () -> {
            PhysicalTx previous = enter(engine, captured);
            try {
                return task.call();
            } finally {
                exit(engine, captured, previous);
            }
        };
    }

    public static Executor wrap(Engine engine, Executor executor) {
        Engine.require(executor, "executor");
        return new Executor() {
            @Override
            public void execute(Runnable command) {
                executor.execute(wrap(engine, command));
            }

            @Override
            public String toString() {
                return "txkit propagating " + executor;
            }
        };
    }

    private static PhysicalTx enter(Engine engine, PhysicalTx captured) {
        // A thread that is inside another scope (caller-runs policies, work stealing) runs the task in
        // the task's own scope and gets its binding back afterwards.
        PhysicalTx previous = engine.slot.get();
        engine.slot.set(captured);
        if (captured != null) {
            captured.carriers.add(Thread.currentThread());
        }
        return previous;
    }

    private static void exit(Engine engine, PhysicalTx captured, PhysicalTx previous) {
        if (captured != null) {
            captured.carriers.remove(Thread.currentThread());
        }
        engine.slot.set(previous);
    }
}
