package dev.txkit.benchmarks.harness;

/**
 * How an operation reads and writes its rows. A strategy picks one and wraps it in its own
 * transaction and retry handling; a workload implements each mode it supports.
 */
public enum Access {
    /** Plain read, then a write of the computed value: correct only under SERIALIZABLE. */
    PLAIN,
    /** {@code SELECT … FOR UPDATE} (rows locked in id order unless the workload is unordered), then write. */
    LOCKING,
    /** Plain read, then a write guarded by the version read; 0 rows updated is {@link Result#CONFLICT}. */
    VERSIONED,
    /** No read: single guarded statements ({@code balance = balance - ? where balance >= ?}). */
    ATOMIC,
    /** A queue pick: {@code FOR UPDATE SKIP LOCKED}; only for workloads with an "any row" mode. */
    SKIP_LOCKED,
    /** txkit's {@code Table.modify(id, change)} outside any transaction: concurrent changes of one row are combined. */
    MODIFY
}
