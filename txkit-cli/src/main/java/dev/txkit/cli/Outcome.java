package dev.txkit.cli;

/**
 * One row of the demo report: how one approach fared in one scenario. {@code anomalies} counts the
 * scenario's bad outcomes (lost updates, double bookings, overdrafts, stalled seconds, double
 * charges); {@code ok} says whether the row shows what txkit promises — for a naive row, that the
 * anomaly was reproduced; for a txkit row, that there was none.
 */
public record Outcome(String name, String approach, String strategy, int operations, int anomalies, boolean ok,
                      long millis, String explanation) {

    static Outcome naive(String name, String strategy, int operations, int anomalies, long millis, String explanation) {
        return new Outcome(name, "naive", strategy, operations, anomalies, anomalies > 0, millis, explanation);
    }

    static Outcome txkit(String name, String strategy, int operations, int anomalies, long millis, String explanation) {
        return new Outcome(name, "txkit", strategy, operations, anomalies, anomalies == 0, millis, explanation);
    }
}
