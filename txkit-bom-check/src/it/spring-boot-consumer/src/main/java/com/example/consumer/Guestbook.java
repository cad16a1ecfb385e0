package com.example.consumer;

import dev.txkit.Database;
import org.springframework.stereotype.Service;

/** Signs the guest book in one txkit transaction over Boot's DataSource. */
@Service
public class Guestbook {
    private final Database db;

    public Guestbook(Database db) {
        this.db = db;
    }

    /** Adds {@code name} and returns how many signatures there are now, both in one transaction. */
    public long sign(String name) {
        return db.inTransaction(tx -> {
            tx.sql("insert into guestbook (name) values (?)", name).update();
            return tx.sql("select count(*) from guestbook").one(Long.class);
        });
    }

    /** Adds {@code name}, then fails: nothing of it may stay. */
    public void signAndFail(String name) {
        db.useTransaction(tx -> {
            tx.sql("insert into guestbook (name) values (?)", name).update();
            throw new IllegalStateException("failed after inserting " + name);
        });
    }

    public long count() {
        return db.sql("select count(*) from guestbook").one(Long.class);
    }
}
