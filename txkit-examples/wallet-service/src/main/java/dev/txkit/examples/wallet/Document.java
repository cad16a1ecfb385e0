package dev.txkit.examples.wallet;

import dev.txkit.table.Id;
import dev.txkit.table.Version;

/** A document of the editor page (seed 003); {@code version} is what the browser read. Immutable. */
public record Document(@Id String id, String title, String body, @Version int version) {
}
