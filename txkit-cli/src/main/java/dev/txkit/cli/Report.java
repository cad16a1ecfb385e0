package dev.txkit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintWriter;
import java.util.List;

/** Prints the demo's outcomes as a table or as one JSON document. */
final class Report {
    private Report() {
    }

    static void json(PrintWriter out, String database, List<Outcome> outcomes) {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("database", database);
        ArrayNode rows = root.putArray("scenarios");
        for (Outcome o : outcomes) {
            ObjectNode row = rows.addObject();
            row.put("name", o.name());
            row.put("approach", o.approach());
            row.put("strategy", o.strategy());
            row.put("operations", o.operations());
            row.put("anomalies", o.anomalies());
            row.put("ok", o.ok());
            row.put("millis", o.millis());
            row.put("explanation", o.explanation());
        }
        try {
            out.println(mapper.writeValueAsString(root));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Splits {@code text} into lines of at most {@code width} characters at spaces. */
    static List<String> wrap(String text, int width) {
        List<String> lines = new java.util.ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.length() == 0 ? "" : " ").append(word);
        }
        lines.add(line.toString());
        return lines;
    }

    static void table(PrintWriter out, String database, List<Outcome> outcomes) {
        out.println("txkit demo on " + database);
        out.println();
        String format = "%-13s %-6s %-13s %10s %9s %8s  %s%n";
        out.printf(format, "scenario", "way", "strategy", "operations", "anomalies", "time", "what happened");
        out.printf(format, "-".repeat(13), "-".repeat(6), "-".repeat(13), "-".repeat(10), "-".repeat(9), "-".repeat(8),
                "-".repeat(40));
        String last = null;
        for (Outcome o : outcomes) {
            if (last != null && !last.equals(o.name())) {
                out.println();
            }
            last = o.name();
            String anomalies = o.anomalies() + (o.ok() ? "" : " !");
            List<String> lines = wrap(o.explanation(), 90);
            out.printf(format, o.name(), o.approach(), o.strategy(), o.operations(), anomalies, o.millis() + " ms",
                    lines.get(0));
            for (String more : lines.subList(1, lines.size())) {
                out.printf(format, "", "", "", "", "", "", more);
            }
        }
        long bad = outcomes.stream().filter(o -> o.approach().equals("txkit") && o.anomalies() > 0).count();
        out.println();
        out.println(bad == 0 ? "Every naive row reproduced its anomaly; every txkit row had none."
                : bad + " txkit row(s) had anomalies — that is a bug, please report it.");
    }
}
