package dev.txkit;

/**
 * A savepoint inside a {@link Transaction}, made by {@link Transaction#savepoint()}. Names are
 * generated and unique for the life of the connection's transaction.
 */
public interface Savepoint {
    /** {@return the savepoint's SQL name} */
    String name();
}
