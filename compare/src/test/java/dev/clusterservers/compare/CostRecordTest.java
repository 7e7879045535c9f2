package dev.clusterservers.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CostRecordTest {
    @TempDir
    Path results;

    private static CostRecord.Iteration iteration(long requests, double serverCpuSeconds) {
        return new CostRecord.Iteration(requests, 2.0, serverCpuSeconds, 0.5);
    }

    @Test
    void cpuPerRequestIsTheMedianOverTheIterationsThatServedRequests() {
        CostRecord record = CostRecord.of("01-shared/2", "17.0.15+6", "./compare/run", "a line", List.of(iteration(10_000, 0.50),
                iteration(10_000, 0.40), iteration(0, 0.10), iteration(20_000, 0.90)), List.of(), null);

        // 50, 40 and 45 µs per request; the iteration with no requests says nothing about a request.
        assertThat(record.medianServerMicrosPerRequest()).hasValue(45.0);
    }

    @Test
    void anEvenNumberOfIterationsTakesTheMeanOfTheMiddleTwo() {
        CostRecord record = CostRecord.of("x/1", "17.0.15+6", "", "", List.of(iteration(1_000, 0.040), iteration(1_000, 0.030)), List.of(), null);

        assertThat(record.medianServerMicrosPerRequest().getAsDouble()).isCloseTo(35.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aRecordIsReadBackAsItWasWritten() throws Exception {
        CostRecord record = CostRecord.of("node-pm2/2", "17.0.15+6", "./compare/run --quick", "instance's line", List.of(iteration(5, 0.01)),
                List.of(new CostRecord.ProcessCost(7, false, 100, 50, null), new CostRecord.ProcessCost(8, true, 90, 40, 321L)),
                List.of(310L, 290L, 300L, 305L, 295L));

        record.writeTo(results);

        assertThat(CostRecord.read(results, "node-pm2/2")).isEqualTo(record);
        assertThat(results.resolve("compare.cost/node-pm2_2.json")).exists();
    }

    @Test
    void anApproachThatNoProcessManagerRunsWritesNoListTimings() throws Exception {
        CostRecord record = CostRecord.of("01-shared/2", "17.0.15+6", "./compare/run", "a line", List.of(iteration(5, 0.01)), List.of(), null);

        Path file = record.writeTo(results);

        assertThat(Files.readString(file)).doesNotContain("listMillis");
        assertThat(CostRecord.read(results, "01-shared/2").listMillis()).isNull();
    }
}
