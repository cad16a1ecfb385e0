package dev.txkit.examples.wallet;

import dev.txkit.Database;
import dev.txkit.table.UpdateResult;
import org.springframework.stereotype.Service;

/**
 * Seed 003's optimistic concurrency: a save carries the version the editor read; if another user
 * saved in between, nothing is written and the caller gets the current document. Thread-safe.
 */
@Service
public class DocumentService {
    private final Database db;

    public DocumentService(Database db) {
        this.db = db;
    }

    public Document get(String id) {
        return db.table(Document.class).get(id);
    }

    /** Saves {@code edited}; throws {@link StaleDocument} (409) when its version is not the current one. */
    public Document save(Document edited) {
        UpdateResult<Document> r = db.inTransaction(tx -> tx.table(Document.class).tryUpdate(edited));
        if (r instanceof UpdateResult.Updated<Document> u) {
            return u.record();
        }
        if (r instanceof UpdateResult.Conflict<Document> c) {
            throw new StaleDocument(c.current());
        }
        return db.table(Document.class).get(edited.id()); // NOT_FOUND (404)
    }
}
