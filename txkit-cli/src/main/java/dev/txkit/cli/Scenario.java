package dev.txkit.cli;

import java.util.List;

/** One seed scenario, run the unprotected way and the txkit way against the same database. */
interface Scenario {
    /** The name used on the command line and in the report. */
    String name();

    /** Runs every approach; each creates and drops its own tables. */
    List<Outcome> run(DemoContext ctx) throws Exception;
}
