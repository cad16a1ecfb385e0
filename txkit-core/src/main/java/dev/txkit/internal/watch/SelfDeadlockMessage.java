package dev.txkit.internal.watch;

import dev.txkit.internal.jdbc.Errors;
import dev.txkit.internal.jdbc.InFlight;
import dev.txkit.internal.jdbc.TxView;

/** Builds the SELF_DEADLOCK message: the blocked statement, the holding transaction, the fix. Stateless. */
final class SelfDeadlockMessage {
    private SelfDeadlockMessage() {
    }

    static String of(InFlight waiter, TxView holder, boolean beginSitesCaptured) {
        return of(waiter, holder, beginSitesCaptured, null);
    }

    /** {@code door}: the other pool the statement came through, or null for the transaction's own pool. */
    static String of(InFlight waiter, TxView holder, boolean beginSitesCaptured, String door) {
        StringBuilder m = new StringBuilder("the statement ").append(Errors.abbreviate(waiter.sql))
                .append(" waited ").append(waiter.elapsedMillis()).append(" ms on thread '")
                .append(waiter.thread.getName()).append("' (")
                .append(waiter.tx == null ? "outside any transaction" : "in transaction " + waiter.tx.id())
                .append(door == null ? "" : ", through a Database over another pool: " + door
                        + "; Databases over one pool share its transaction, over two pools they cannot")
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

    /**
     * A session txkit does not manage (plain JDBC, a JdbcTemplate or JDBI handle on the raw pool, a
     * pool no Database uses) that this process opened, blocked by {@code holder}: its statement was
     * cancelled on the server and the transaction fails. No SQL: txkit never saw the statement, and
     * the server's text of it may carry values.
     */
    static String foreign(LockView.Wait w, TxView holder, String cancelledWith, boolean beginSitesCaptured) {
        boolean sameThread = !ThreadStates.waitsForAnotherThread(holder.owner());
        String site = site(holder.beginSite());
        return "a statement on a connection of this process that txkit does not manage (server session " + w.waiter()
                + ", client " + w.clientHost() + ":" + w.clientPort() + ": plain JDBC, a JdbcTemplate or a JDBI handle"
                + " on the raw pool, or a pool no txkit Database uses) waited " + w.waitedMillis()
                + " ms for a lock held by transaction " + holder.id() + " of this process (server session " + w.blocker()
                + ", owner thread '" + holder.owner().getName() + "', "
                + (sameThread ? "which runs that statement itself" : ThreadStates.describe(holder.owner()) + ", waiting for it")
                + ", age " + holder.ageMillis() + " ms, "
                + (site != null ? "began at " + site : beginSitesCaptured ? "begin site unknown"
                : "enable Database.Builder.captureBeginSite(true) to see where it began")
                + "). Neither could finish, so txkit cancelled that statement on the server (" + cancelledWith
                + ") and transaction " + holder.id() + " fails instead of committing. Fix: give that code txkit's"
                + " db.dataSource() (or tx.connection()) instead of the pool, so it joins the transaction; on another"
                + " thread also db.propagate(task); or run it after the transaction commits";
    }

    /** For a TIMEOUT message: who waited on the transaction when the server was last asked. */
    static String waitNote(LockView.Wait w, String who) {
        return "server session " + w.waiter() + " (" + who + (w.clientHost() == null ? ""
                : ", client " + w.clientHost() + ":" + w.clientPort()) + ") had waited " + w.waitedMillis()
                + " ms for a lock held by this transaction (server session " + w.blocker() + ")";
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
