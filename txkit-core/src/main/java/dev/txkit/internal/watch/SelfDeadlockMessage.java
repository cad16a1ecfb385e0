package dev.txkit.internal.watch;

import dev.txkit.internal.jdbc.Errors;
import dev.txkit.internal.jdbc.InFlight;
import dev.txkit.internal.jdbc.TxView;

/** Builds the SELF_DEADLOCK message: the blocked statement, the holding transaction, the fix. Stateless. */
final class SelfDeadlockMessage {
    private SelfDeadlockMessage() {
    }

    static String of(InFlight waiter, TxView holder, boolean beginSitesCaptured) {
        StringBuilder m = new StringBuilder("the statement ").append(Errors.abbreviate(waiter.sql))
                .append(" waited ").append(waiter.elapsedMillis()).append(" ms on thread '")
                .append(waiter.thread.getName()).append("' (")
                .append(waiter.tx == null ? "outside any transaction" : "in transaction " + waiter.tx.id())
                .append(") for a lock held by transaction ").append(holder.id()).append(" of this same process (owner thread '")
                .append(holder.owner().getName()).append("', ");
        if (holder.owner() == waiter.thread) {
            m.append("the very thread that issued this statement");
        } else {
            m.append(ThreadStates.describe(holder.owner()));
        }
        m.append(", age ").append(holder.ageMillis()).append(" ms, ");
        String site = site(holder.beginSite());
        m.append(site != null ? "began at " + site
                : beginSitesCaptured ? "begin site unknown" : "enable Database.Builder.captureBeginSite(true) to see where it began");
        m.append(holder.owner() == waiter.thread
                ? "). That transaction's thread is the one waiting for this statement"
                : "). That transaction's thread is waiting too, presumably for this work")
                .append(", so neither can finish and nothing would commit until a timeout; the statement was cancelled")
                .append(waiter.tx == null ? "" : " and transaction " + waiter.tx.id() + " rolled back")
                .append(". Fix: run this work inside transaction ").append(holder.id())
                .append(": on its thread db.sql(...), db.inTransaction(...) with REQUIRED and db.dataSource() join it;"
                        + " on another thread, propagate the transaction to that thread with db.propagate(task)"
                        + " or db.propagating(executor). Or move the work outside the transaction (after it commits)");
        return m.toString();
    }

    /** The first frame of the begin site outside txkit, i.e. the application's call. */
    static String site(Throwable beginSite) {
        if (beginSite == null) {
            return null;
        }
        for (StackTraceElement e : beginSite.getStackTrace()) {
            String c = e.getClassName();
            boolean txkit = c.startsWith("dev.txkit.internal.") || c.startsWith("dev.txkit.retry.")
                    || (c.startsWith("dev.txkit.") && c.indexOf('.', "dev.txkit.".length()) < 0);
            if (!txkit) {
                return e.toString();
            }
        }
        return null;
    }
}
