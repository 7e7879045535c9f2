package dev.clusterservers.diagrams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small stored JMH result, rendered: the charts and the table must say what the JSON says. */
class RenderChartsTest {
    private static final Path SAMPLE = Path.of("src/test/resources/sample/01-share-ports/results/demo.json");

    @TempDir
    Path out;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    private static BenchmarkRun run() throws Exception {
        return BenchmarkRun.load(SAMPLE);
    }

    @Test
    void aRunKnowsItsModuleNameAndConfigurations() throws Exception {
        BenchmarkRun run = run();
        assertThat(run.module()).isEqualTo("01-share-ports");
        assertThat(run.name()).isEqualTo("demo");
        assertThat(run.inMode("thrpt")).extracting(BenchmarkRun.Result::configuration)
                .containsExactly("single-jvm,keep-alive", "round-robin/2,keep-alive");
    }

    @Test
    void theThroughputChartShowsEveryConfigurationWithItsScore() throws Exception {
        List<Path> written = RenderCharts.render(run(), out);

        String svg = Files.readString(out.resolve("01-share-ports-demo-throughput.svg"), StandardCharsets.UTF_8);
        assertThat(svg).contains("single-jvm,keep-alive", "round-robin/2,keep-alive", "12,346", "9,877");
        assertThat(written).contains(out.resolve("01-share-ports-demo-throughput.png"));
        assertThat(Files.size(out.resolve("01-share-ports-demo-throughput.png"))).isPositive();
    }

    @Test
    void theLatencyChartShowsP50AndP99InMilliseconds() throws Exception {
        RenderCharts.render(run(), out);

        String svg = Files.readString(out.resolve("01-share-ports-demo-latency.svg"), StandardCharsets.UTF_8);
        assertThat(svg).contains("p50", "p99", "1.25", "4.20");
    }

    @Test
    void theSpreadChartShowsEachWorkersShareAndJainsIndex() throws Exception {
        RenderCharts.render(run(), out);

        String svg = Files.readString(out.resolve("01-share-ports-demo-spread.svg"), StandardCharsets.UTF_8);
        assertThat(svg).contains("round-robin/2,keep-alive (Jain 0.800)", "75.0", "25.0");
    }

    @Test
    void everyChartIsCaptionedWithJdkCpusDateAndCommand() throws Exception {
        RenderCharts.render(run(), out);

        for (String chart : List.of("throughput", "latency", "spread")) {
            assertThat(Files.readString(out.resolve("01-share-ports-demo-" + chart + ".svg"), StandardCharsets.UTF_8))
                    .contains("JDK 17.0.15+6", "2 CPUs", "2026-11-24",
                            "./mvnw -pl 01-share-ports test-compile exec:exec@jmh -Djmh.result=demo");
        }
    }

    @Test
    void throughputInOperationsPerMillisecondIsShownPerSecond() {
        BenchmarkRun.Result perMillisecond = new BenchmarkRun.Result("x", "thrpt", 7.25, 0.5, "ops/ms", java.util.Map.of());
        BenchmarkRun run = new BenchmarkRun("02-fork-server", "ms", "17", List.of(perMillisecond), List.of());

        assertThat(ResultsTable.markdown(run)).contains("| x | 7,250 ± 500 |");
    }

    @Test
    void singleShotTimesGetTheirOwnTableAndChartInSeconds() throws Exception {
        BenchmarkRun.Result reload = new BenchmarkRun.Result("4", "ss", 5.06, 1.97, "s/op", java.util.Map.of());
        BenchmarkRun run = new BenchmarkRun("03-process-manager", "reload", "17", List.of(reload), List.of());

        assertThat(ResultsTable.markdown(run)).contains("| 4 | 5.06 ± 1.97 |").doesNotContain("| 4 |  |");
        RenderCharts.render(run, out);
        assertThat(Files.readString(out.resolve("03-process-manager-reload-single-shot.svg"), StandardCharsets.UTF_8))
                .contains("time per run", "5.06");
    }

    @Test
    void aRunThatServedNoRequestsIsCaptionedButDrawsNoSpreadAndNoEmptyThroughputTable() throws Exception {
        BenchmarkRun run = BenchmarkRun.load(Path.of("src/test/resources/sample/03-process-manager/results/reload.json"));

        List<Path> written = RenderCharts.render(run, out);

        assertThat(written).contains(out.resolve("03-process-manager-reload-single-shot.svg"))
                .doesNotContain(out.resolve("03-process-manager-reload-spread.svg"));
        assertThat(ResultsTable.markdown(run)).startsWith("| single shot | seconds per run |")
                .doesNotContain("requests/s")
                .contains("2 CPUs", "./mvnw -pl 03-process-manager test-compile exec:exec@jmh -Djmh.result=reload");
    }

    @Test
    void aRunWithoutMachineRecordsSaysSoInsteadOfGuessingTheCommand() {
        BenchmarkRun run = new BenchmarkRun("02-fork-server", "bare", "17.0.15", List.of(), List.of());

        assertThat(run.caption()).isEqualTo(
                "JDK 17.0.15 · 02-fork-server/results/bare.json · CPU count, date and command not recorded");
    }

    @Test
    void theTableHasOneRowPerConfigurationWithEveryFigure() throws Exception {
        String table = ResultsTable.markdown(run());

        assertThat(table).contains("| single-jvm,keep-alive | 12,346 ± 321 | 1.25 | 4.20 | [500] | 1.000 |");
        assertThat(table).contains("| round-robin/2,keep-alive | 9,877 ± 0 |  |  | [300, 100] | 0.800 |");
    }

    @Test
    void aMarkedReadmeSectionIsReplacedWithTheTableAndTheCharts() throws Exception {
        Path readme = out.resolve("README.md");
        Files.writeString(readme, "intro\n<!-- bench:01-share-ports/demo -->\nold text\n<!-- /bench -->\noutro\n");

        assertThat(RenderCharts.refreshSections(readme, List.of(run()), out)).isTrue();

        String text = Files.readString(readme);
        assertThat(text).startsWith("intro\n<!-- bench:01-share-ports/demo -->\n| configuration |")
                .contains("![throughput](diagrams/charts/01-share-ports-demo-throughput.svg)")
                .endsWith("<!-- /bench -->\noutro\n")
                .doesNotContain("old text");
        assertThat(RenderCharts.refreshSections(readme, List.of(run()), out)).as("a second pass changes nothing").isFalse();
    }
}
