package dev.clusterservers.diagrams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clusterservers.diagrams.LabRecord.Outcome;
import dev.clusterservers.diagrams.LabRecord.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lesson 04's lab records, read as the charts and tables need them: totals and medians computed here. */
class LabRecordTest {
    static final Path SAMPLE = Path.of("src/test/resources/sample/04-beyond-one-machine/results/lab-bench.json");

    static LabRecord sample() throws Exception {
        return LabRecord.load(SAMPLE).orElseThrow();
    }

    @Test
    void aRecordKnowsItsModuleNameMachineAndRuns() throws Exception {
        LabRecord record = sample();

        assertThat(record.module()).isEqualTo("04-beyond-one-machine");
        assertThat(record.name()).isEqualTo("lab-bench");
        assertThat(record.kind()).isEqualTo("bench");
        assertThat(record.deploys()).isNull();
        assertThat(record.runs()).extracting(Run::name)
                .containsExactly("rolling deploy (drain, jpm reload, ready) to v2", "host lost (SIGKILL), without retries");
        assertThat(record.setup()).isEqualTo("2 hosts × 2 instances, 4 client connections through HAProxy");
    }

    @Test
    void theCaptionCarriesJdkCpusDateToTheMinuteAndTheExactCommand() throws Exception {
        assertThat(sample().caption())
                .isEqualTo("JDK 17.0.15+6 · 2 CPUs · 2026-12-01 10:00 UTC · 04-beyond-one-machine/lab bench --hop-rounds 3");
    }

    @Test
    void aRecordWithoutItsCommandSaysSoInsteadOfGuessing(@TempDir Path root) throws Exception {
        Path json = Files.createDirectories(root.resolve("04-beyond-one-machine/results")).resolve("lab-bench.json");
        Files.writeString(json, "{\"kind\":\"bench\",\"java\":\"17\",\"cpus\":4,\"date\":\"2026-12-01T10:00:00Z\",\"runs\":[]}");

        assertThat(LabRecord.load(json).orElseThrow().caption()).endsWith("04-beyond-one-machine/results/lab-bench.json · command not recorded");
    }

    @Test
    void aMissingFileIsNoRecordAndNoError(@TempDir Path root) throws Exception {
        assertThat(LabRecord.load(root.resolve("04-beyond-one-machine/results/lab-soak.json"))).isEmpty();
        assertThat(RenderCharts.findLabRecords(root)).isEmpty();
    }

    @Test
    void findAllPicksTheLabRecordsAndLeavesJmhResultsToBenchmarkRun(@TempDir Path root) throws Exception {
        Path results = Files.createDirectories(root.resolve("04-beyond-one-machine/results"));
        Files.copy(SAMPLE, results.resolve("lab-bench.json"));
        Files.writeString(results.resolve("jmh.json"), "[]");

        assertThat(RenderCharts.findLabRecords(root)).extracting(LabRecord::name).containsExactly("lab-bench");
        assertThat(RenderCharts.findRuns(root)).extracting(BenchmarkRun::name).containsExactly("jmh");
    }

    @Test
    void aRunCountsItsRequestsFailuresByMethodAndByKind() throws Exception {
        Run lost = sample().runs().get(1);

        assertThat(lost.requests()).isEqualTo(143);
        assertThat(lost.failed("GET")).isEqualTo(6);
        assertThat(lost.failed("POST")).isEqualTo(7);
        assertThat(lost.total(Outcome.STATUS_5XX)).isEqualTo(9);
        assertThat(lost.total(Outcome.EOF)).isEqualTo(1);
        assertThat(lost.lastSecond()).isEqualTo(1);
    }

    @Test
    void clientAndHaproxyAreComparedHostByHost() throws Exception {
        assertThat(sample().runs().get(0).clientVersusHaproxy()).isEmpty();
        assertThat(sample().runs().get(1).clientVersusHaproxy()).containsOnlyKeys("h2");
        assertThat(sample().runs().get(1).clientVersusHaproxy().get("h2")).containsExactly(40, 41);
    }

    @Test
    void theHopCostIsTheMedianOfInterleavedRoundsWithTheirRange() throws Exception {
        LabRecord record = sample();

        assertThat(record.hopCostByPath()).containsOnlyKeys("straight to h1", "through HAProxy to h1");
        assertThat(record.hopCostByPath().get("straight to h1")).isEqualTo(new Cost.Figure(100, 90, 110));
        assertThat(record.hopCostByPath().get("through HAProxy to h1")).isEqualTo(new Cost.Figure(130, 120, 150));
        assertThat(record.straightPath()).contains("straight to h1");
        assertThat(record.hopRequests("straight to h1")).isEqualTo(3150);
        assertThat(record.hopRounds("through HAProxy to h1")).isEqualTo(3);
    }
}
