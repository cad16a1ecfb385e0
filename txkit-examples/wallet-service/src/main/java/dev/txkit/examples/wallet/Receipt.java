package dev.txkit.examples.wallet;

import dev.txkit.ResultCodec;

/**
 * The answer to a debit, stored with its idempotency key so a repeated request gets the same
 * answer (same charge id) without charging again. Immutable.
 */
public record Receipt(String wallet, long amount, long balance, long chargeId) {
    static final ResultCodec<Receipt> CODEC = ResultCodec.of(
            r -> r.wallet() + "|" + r.amount() + "|" + r.balance() + "|" + r.chargeId(),
            text -> {
                String[] p = text.split("\\|");
                return new Receipt(p[0], Long.parseLong(p[1]), Long.parseLong(p[2]), Long.parseLong(p[3]));
            });
}
