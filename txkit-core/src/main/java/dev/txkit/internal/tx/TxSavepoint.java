package dev.txkit.internal.tx;

import dev.txkit.ErrorCode;
import dev.txkit.Savepoint;
import dev.txkit.TxkitException;

import java.sql.Connection;
import java.sql.SQLException;

/** A savepoint of one {@link PhysicalTx}, with the JDBC savepoint behind it. Immutable. */
final class TxSavepoint implements Savepoint {
    final PhysicalTx tx;
    private final String name;
    final java.sql.Savepoint jdbc;

    TxSavepoint(PhysicalTx tx, String name, java.sql.Savepoint jdbc) {
        this.tx = tx;
        this.name = name;
        this.jdbc = jdbc;
    }

    /** Sets savepoint number {@code n} of {@code tx}; names are unique for the life of the transaction. */
    static TxSavepoint set(PhysicalTx tx, Connection c, int n) throws SQLException {
        String name = "txkit_sp_" + n;
        return new TxSavepoint(tx, name, c.setSavepoint(name));
    }

    /** {@code savepoint} as one of {@code tx}'s own, or INVALID_ARGUMENT. */
    static TxSavepoint of(PhysicalTx tx, Savepoint savepoint) {
        if (!(savepoint instanceof TxSavepoint) || ((TxSavepoint) savepoint).tx != tx) {
            throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "savepoint " + savepoint
                    + " does not belong to transaction " + tx.id);
        }
        return (TxSavepoint) savepoint;
    }

    void rollbackTo() {
        tx.execute("ROLLBACK TO SAVEPOINT " + name, (c, f) -> {
            c.rollback(jdbc);
            return null;
        });
    }

    void release() {
        tx.execute("RELEASE SAVEPOINT " + name, (c, f) -> {
            c.releaseSavepoint(jdbc);
            return null;
        });
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }
}
