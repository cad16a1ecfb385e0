package dev.txkit.cli;

import dev.txkit.Problem;
import dev.txkit.TxkitException;
import dev.txkit.table.Id;
import dev.txkit.table.Table;
import dev.txkit.table.TableName;
import dev.txkit.table.Version;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;

/**
 * Seed 003: two people edit the same document from the same version. Without a version check the
 * second save silently overwrites the first; with one it fails with OPTIMISTIC_CONFLICT, which a
 * web layer answers with HTTP 409 and an RFC 9457 problem body ("refresh and try again").
 */
final class Conflict409Scenario implements Scenario {

    @TableName("demo_doc")
    record Doc(@Id int id, String title, @Version int version) {
        Doc titled(String newTitle) {
            return new Doc(id, newTitle, version);
        }
    }

    @Override
    public String name() {
        return "conflict-409";
    }

    @Override
    public List<Outcome> run(DemoContext ctx) throws Exception {
        ctx.ddl("DROP TABLE IF EXISTS demo_doc",
                "CREATE TABLE demo_doc (id INT PRIMARY KEY, title VARCHAR(80), version INT NOT NULL)");
        try {
            return List.of(naive(ctx), versioned(ctx));
        } finally {
            ctx.ddl("DROP TABLE IF EXISTS demo_doc");
        }
    }

    private static void reset(DemoContext ctx) throws Exception {
        ctx.ddl("DELETE FROM demo_doc", "INSERT INTO demo_doc VALUES (1, 'draft', 1)");
    }

    private Outcome naive(DemoContext ctx) throws Exception {
        reset(ctx);
        long start = System.nanoTime();
        // Alice and Bob both loaded version 1; Alice saves, then Bob saves without any check.
        try (Connection c = ctx.raw.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE demo_doc SET title = ? WHERE id = 1")) {
            ps.setString(1, "alice's edit");
            ps.executeUpdate();
            ps.setString(1, "bob's edit");
            ps.executeUpdate();
        }
        String title = ctx.db.sql("SELECT title FROM demo_doc WHERE id = 1").one(String.class);
        int lost = title.equals("bob's edit") ? 1 : 0;
        return Outcome.naive(name(), "last write wins", 2, lost, Concurrently.millisSince(start),
                "Bob's save silently overwrote Alice's edit; nobody was told");
    }

    private Outcome versioned(DemoContext ctx) throws Exception {
        reset(ctx);
        long start = System.nanoTime();
        Table<Doc> docs = ctx.db.table(Doc.class);
        Doc alicesCopy = docs.get(1);
        Doc bobsCopy = docs.get(1);
        docs.update(alicesCopy.titled("alice's edit"));
        String body;
        int status;
        try {
            docs.update(bobsCopy.titled("bob's edit"));
            body = "(no conflict reported)";
            status = 200;
        } catch (TxkitException e) {
            Problem problem = Problem.of(e).withInstance("/docs/1");
            body = problem.toJson().replaceAll("\\s*\\n\\s*", " ");
            status = problem.status();
        }
        String title = ctx.db.sql("SELECT title FROM demo_doc WHERE id = 1").one(String.class);
        int lost = (title.equals("alice's edit") ? 0 : 1) + (status == 409 ? 0 : 1);
        return Outcome.txkit(name(), "@Version", 2, lost, Concurrently.millisSince(start),
                "Bob got HTTP " + status + " " + Problem.CONTENT_TYPE + ": " + body);
    }
}
