package dev.txkit.benchmarks.harness;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The plots: TPS and p99 per database and workload, a line per strategy, as PNG and compact SVG. */
class ChartsTest {

    private static CellResult cell(String db, String strategy, int clients, double tps, double p99) {
        return new CellResult(db, "W1-wallet", strategy, "-", clients, 1, 0, 1, 1.5, 100, 0, tps, 1, p99, p99, 1, 0, 0,
                Map.of(), true, false, "ok");
    }

    @Test
    void writesTpsAndP99AsPngAndSvgPerDatabaseAndWorkloadSweptOverClients(@TempDir Path dir) throws Exception {
        List<CellResult> results = new ArrayList<>();
        for (int c : new int[] {1, 4, 16, 64}) {
            results.add(cell("postgresql", "for-update", c, 1000.0 / c + 500, 2.0 * c));
            results.add(cell("postgresql", "txkit-optimistic", c, 900.0 / c + 400, 3.0 * c));
        }
        results.add(cell("mariadb", "for-update", 64, 2000, 50)); // one client count: nothing to plot

        List<Path> files = Charts.write(dir, results);

        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactlyInAnyOrder(
                "postgresql-w1-wallet-tps.png", "postgresql-w1-wallet-tps.svg",
                "postgresql-w1-wallet-p99.png", "postgresql-w1-wallet-p99.svg");
        byte[] png = Files.readAllBytes(dir.resolve("postgresql-w1-wallet-tps.png"));
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        String svg = Files.readString(dir.resolve("postgresql-w1-wallet-p99.svg"));
        assertThat(svg).startsWith("<?xml").contains("<svg").contains("<path").endsWith("</svg>\n");
        assertThat(svg).doesNotContainPattern("\\d\\.\\d{2}"); // coordinates rounded to keep the files small
        assertThat(Files.size(dir.resolve("postgresql-w1-wallet-p99.svg"))).isLessThan(250_000);
    }
}
