package dev.txkit.examples.wallet;

import dev.txkit.table.Id;
import dev.txkit.table.Version;

/** A wallet row; {@code version} makes every update a compare-and-set. Immutable. */
public record Wallet(@Id String id, long balance, @Version int version) {
    Wallet minus(long amount) {
        return new Wallet(id, balance - amount, version);
    }
}
