package dev.txkit.benchmarks.harness;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The plans' cells: what the full and quick runs contain, in a seeded random order, and bad workload names. */
class PlanTest {

    @Test
    void fullRunSweepsEveryWorkloadAndRepeatsTheHeadlineCell() {
        List<CellRunner.Spec> cells = Plan.full().cells();
        assertThat(cells).allMatch(c -> c.workload().supports(c.strategy().access()));
        Map<String, Long> perWorkload = cells.stream().collect(Collectors.groupingBy(c -> c.workload().name(),
                Collectors.counting()));
        int row = Plan.ROW_STRATEGIES.size();
        int transfers = row - 1; // Table.modify changes one row: no transfer form
        assertThat(perWorkload).containsEntry("W1-wallet", (long) row * 4 + row * 2)
                .containsEntry("W2-transfer", (long) transfers * 4 + transfers * 4)
                .containsEntry("W2-unordered", 3L * 4)
                .containsEntry("W3-seat", (long) row * 4)
                .containsEntry("W3-any", 5L * 4);
        assertThat(cells).filteredOn(c -> c.workload().name().equals("W1-wallet") && c.clients() == 64
                && c.strategy().name().equals("txkit-default")).extracting(CellRunner.Spec::repeat).containsExactlyInAnyOrder(1, 2, 3);
        // shuffled, but the same order for the same seed
        assertThat(cells.stream().map(CellRunner.Spec::label).toList())
                .isEqualTo(Plan.full().cells().stream().map(CellRunner.Spec::label).toList())
                .isNotEqualTo(Plan.full().withSeed(7).cells().stream().map(CellRunner.Spec::label).toList());
    }

    @Test
    void quickRunIsTheWalletAtOneAndSixtyFourClients() {
        List<CellRunner.Spec> cells = Plan.quick().cells();
        assertThat(cells).hasSize(Plan.QUICK_STRATEGIES.size() * 2)
                .allMatch(c -> c.workload().name().equals("W1-wallet") && (c.clients() == 1 || c.clients() == 64));
    }

    @Test
    void unknownWorkloadsAndStrategiesNameTheChoices() {
        assertThat(Plan.parse("W2:100:0.5")).singleElement().satisfies(g -> {
            assertThat(g.workload().rows()).isEqualTo(100);
            assertThat(g.workload().theta()).isEqualTo(0.5);
        });
        assertThatThrownBy(() -> Plan.parse("W7")).hasMessageContaining("unknown workload 'W7'; choose from W1");
        assertThatThrownBy(() -> Plan.parse("W2:x:1")).hasMessageContaining("must be numbers");
        assertThatThrownBy(() -> Plan.parse("W2:1:0.5")).hasMessageContaining("accounts must be in 2..100000");
        assertThatThrownBy(() -> Strategies.named(List.of("nope"))).hasMessageContaining("unknown strategy 'nope'");
    }
}
