package dev.txkit.it.bank;

import dev.txkit.testing.DbKind;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The bank's tables, read and written with plain JDBC straight to the server so that what the
 * checker sees does not depend on the code under test: {@code account(id, balance)} and
 * {@code ledger(seq, op_id, from_id, to_id, amount, receipt)}. The ledger deliberately has no
 * unique key on {@code op_id}: a transfer applied twice must show as two rows, not as an error.
 * No CHECK on the balance either, so a strategy that overdraws is seen by the checker.
 *
 * <p>Static methods; thread-safe.
 */
final class BankSchema {
    static final int ACCOUNTS = 20;
    static final long INITIAL_BALANCE = 1_000;
    static final long TOTAL = ACCOUNTS * INITIAL_BALANCE;

    private BankSchema() {
    }

    /** One ledger row: the effect a transfer had ({@code amount} 0 when it was declined). */
    record LedgerRow(String opId, int from, int to, long amount, String receipt) {
    }

    /** Balances by account id (index 0 unused) and the whole ledger, read in one transaction. */
    record Snapshot(long[] balances, List<LedgerRow> ledger) {
        long total() {
            long sum = 0;
            for (long b : balances) {
                sum += b;
            }
            return sum;
        }
    }

    static void create(BankTarget target) throws SQLException {
        boolean pg = target.kind() == DbKind.POSTGRES;
        try (Connection c = target.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE account (id INT PRIMARY KEY, balance BIGINT NOT NULL)" + (pg ? "" : " ENGINE=InnoDB"));
            st.execute("CREATE TABLE ledger (seq " + (pg ? "BIGSERIAL" : "BIGINT AUTO_INCREMENT") + " PRIMARY KEY,"
                    + " op_id VARCHAR(100) NOT NULL, from_id INT NOT NULL, to_id INT NOT NULL,"
                    + " amount BIGINT NOT NULL, receipt VARCHAR(100) NOT NULL)" + (pg ? "" : " ENGINE=InnoDB"));
            st.execute("CREATE INDEX ledger_op ON ledger (op_id)");
        }
        reset(target);
    }

    /** Every account back to the initial balance, the ledger empty. */
    static void reset(BankTarget target) throws SQLException {
        try (Connection c = target.connect(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("DELETE FROM ledger");
            st.execute("DELETE FROM account");
            for (int id = 1; id <= ACCOUNTS; id++) {
                st.execute("INSERT INTO account (id, balance) VALUES (" + id + ", " + INITIAL_BALANCE + ")");
            }
            c.commit();
        }
    }

    static Snapshot read(BankTarget target) throws SQLException {
        long[] balances = new long[ACCOUNTS + 1];
        List<LedgerRow> ledger = new ArrayList<>();
        try (Connection c = target.connect(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            // the clients have stopped; a serializable read keeps the two queries consistent anyway
            c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            try (ResultSet rs = st.executeQuery("SELECT id, balance FROM account")) {
                while (rs.next()) {
                    balances[rs.getInt(1)] = rs.getLong(2);
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT op_id, from_id, to_id, amount, receipt FROM ledger")) {
                while (rs.next()) {
                    ledger.add(new LedgerRow(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getLong(4),
                            rs.getString(5)));
                }
            }
            c.commit();
        }
        return new Snapshot(balances, ledger);
    }
}
