package dev.txkit.benchmarks.harness;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.regex.Pattern;

/**
 * Plots TPS and p99 latency against the client count, one line per strategy, for every database and
 * workload swept over at least two client counts; each as PNG and SVG (XChart, SVG via VectorGraphics2D).
 * Repeats are folded to their median first.
 *
 * <p>Stateless; thread-safe.
 */
public final class Charts {
    // One colour and marker per strategy, the same in every chart (XChart's theme repeats after ten).
    private static final Color[] COLORS = {
        new Color(0x999999), new Color(0x1F77B4), new Color(0xFF7F0E), new Color(0x2CA02C), new Color(0xD62728),
        new Color(0x9467BD), new Color(0x8C564B), new Color(0xE377C2), new Color(0x17BECF), new Color(0xBCBD22),
        new Color(0x000000), new Color(0x3366FF), new Color(0xAA0000), new Color(0x00AA88), new Color(0x775500)};
    private static final Pattern DECIMALS = Pattern.compile("-?\\d+\\.\\d{2,}");
    private static final Marker[] MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.DIAMOND, SeriesMarkers.SQUARE,
        SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN};
    private Charts() {
    }

    /** Writes the plots into {@code dir} and returns the files written. */
    public static List<Path> write(Path dir, List<CellResult> results) throws IOException {
        Map<String, List<CellResult>> panels = new LinkedHashMap<>();
        for (Summary.Folded f : Summary.fold(results)) {
            CellResult r = f.median();
            panels.computeIfAbsent(fileStem(r), k -> new ArrayList<>()).add(r);
        }
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, List<CellResult>> panel : panels.entrySet()) {
            List<CellResult> rs = panel.getValue();
            if (rs.stream().mapToInt(CellResult::clients).distinct().count() < 2) {
                continue;
            }
            String title = title(rs.get(0));
            written.addAll(save(dir, panel.getKey() + "-tps", chart(title + ": throughput", "committed TPS", rs,
                    CellResult::tps, false)));
            // XChart labels a log axis at powers of ten only: use it when the latencies span more than that
            double max = rs.stream().mapToDouble(CellResult::p99Ms).max().orElse(1);
            double min = rs.stream().mapToDouble(CellResult::p99Ms).filter(v -> v > 0).min().orElse(1);
            boolean log = max / min > 30;
            written.addAll(save(dir, panel.getKey() + "-p99", chart(title + ": p99 latency", log ? "p99 ms (log)" : "p99 ms",
                    rs, CellResult::p99Ms, log)));
        }
        return written;
    }

    private static String fileStem(CellResult r) {
        String stem = r.db() + "-" + r.workload();
        if (r.workload().startsWith("W2")) {
            stem += "-n" + r.rows() + "-theta" + String.format(Locale.ROOT, "%.2f", r.theta());
        }
        return stem.toLowerCase(Locale.ROOT);
    }

    private static String title(CellResult r) {
        String t = r.db() + " " + r.workload();
        return r.workload().startsWith("W2") ? t + String.format(Locale.ROOT, " n=%d θ=%.2f", r.rows(), r.theta()) : t;
    }

    private static XYChart chart(String title, String yTitle, List<CellResult> rs, ToDoubleFunction<CellResult> y,
                                 boolean logY) {
        XYChart chart = new XYChartBuilder().width(760).height(480).title(title).xAxisTitle("clients (log)")
                .yAxisTitle(yTitle).build();
        Styler s = chart.getStyler();
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setXAxisDecimalPattern("0");
        Map<String, List<CellResult>> byStrategy = new LinkedHashMap<>();
        for (CellResult r : rs) {
            byStrategy.computeIfAbsent(r.strategy(), k -> new ArrayList<>()).add(r);
        }
        byStrategy.forEach((strategy, points) -> {
            List<CellResult> sorted = points.stream().filter(p -> y.applyAsDouble(p) > 0)
                    .sorted(java.util.Comparator.comparingInt(CellResult::clients)).toList();
            if (sorted.isEmpty()) {
                return;
            }
            double[] xs = sorted.stream().mapToDouble(CellResult::clients).toArray();
            double[] ys = sorted.stream().mapToDouble(y).toArray();
            String label = strategy + (sorted.get(0).expectedBroken() ? " (broken)" : "");
            int i = Math.max(0, new ArrayList<>(Strategies.all().keySet()).indexOf(strategy));
            XYSeries series = chart.addSeries(label, xs, ys);
            series.setMarker(MARKERS[i % MARKERS.length]);
            series.setMarkerColor(COLORS[i % COLORS.length]);
            series.setLineColor(COLORS[i % COLORS.length]);
        });
        return chart;
    }

    private static List<Path> save(Path dir, String stem, XYChart chart) throws IOException {
        if (chart.getSeriesMap().isEmpty()) {
            return List.of();
        }
        Path png = dir.resolve(stem + ".png");
        Path svg = dir.resolve(stem + ".svg");
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        VectorGraphicsEncoder.saveVectorGraphic(chart, svg.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        // XChart draws every glyph as a path with 6-8 decimals per coordinate (≈ 350 KB a chart); one
        // decimal is invisible at this size and makes the file a fraction of that.
        String text = Files.readString(svg);
        Files.writeString(svg, DECIMALS.matcher(text).replaceAll(m -> round(m.group())));
        return List.of(png, svg);
    }

    private static String round(String number) {
        String r = String.format(Locale.ROOT, "%.1f", Double.parseDouble(number));
        return r.endsWith(".0") ? r.substring(0, r.length() - 2) : r;
    }
}
