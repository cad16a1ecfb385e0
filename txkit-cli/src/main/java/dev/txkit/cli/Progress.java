package dev.txkit.cli;

import java.io.PrintWriter;

/** A one-line progress bar on stderr, redrawn in place while scenarios run. */
final class Progress {
    private static final int WIDTH = 28;
    private final PrintWriter err;
    private final int total;
    private int done;
    private int labelWidth = 14;

    Progress(PrintWriter err, int total) {
        this.err = err;
        this.total = total;
    }

    void start(String scenario) {
        draw(scenario);
    }

    void finished() {
        done++;
    }

    void end() {
        draw("done");
        err.println();
        err.flush();
    }

    private void draw(String label) {
        int filled = total == 0 ? WIDTH : done * WIDTH / total;
        labelWidth = Math.max(labelWidth, label.length()); // pad over the longest label drawn so far
        err.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + done + "/" + total + " "
                + String.format("%-" + labelWidth + "s", label));
        err.flush();
    }
}
