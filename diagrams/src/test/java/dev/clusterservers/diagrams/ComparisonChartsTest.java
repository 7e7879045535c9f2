package dev.clusterservers.diagrams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small stored comparison run (compare/), rendered: every new chart must say what its JSON says. */
class ComparisonChartsTest {
    private static final Path SAMPLE = Path.of("src/test/resources/sample/compare/results/demo.json");

    @TempDir
    Path out;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    private String svg(String chart) throws Exception {
        RenderCharts.render(BenchmarkRun.load(SAMPLE), out);
        return Files.readString(out.resolve("compare-demo-" + chart + ".svg"), StandardCharsets.UTF_8);
    }

    @Test
    void throughputIsGroupedByApproachWithOneBarPerWorkerCountAndTheBaselineAsALine() throws Exception {
        String svg = svg("by-workers");

        assertThat(svg).contains("single-jvm", "01-reuseport", "03-jpm", "1 worker", "2 workers", "single JVM",
                "20,000", "19,000", "15,000", "14,000");
        assertThat(svg).doesNotContain("01-reuseport/2");
    }

    @Test
    void aRowOnAnotherJdkIsAGroupOfItsOwnBesideTheSameApproach() {
        assertThat(ComparisonCharts.approachOf("01-shared/2")).isEqualTo("01-shared");
        assertThat(ComparisonCharts.approachOf("01-shared/2@jdk25")).isEqualTo("01-shared@jdk25");
    }

    @Test
    void latencyComesFromTheClientsOwnRecordWhenJmhMeasuredNone() throws Exception {
        String svg = svg("latency");

        assertThat(svg).contains("p50", "p99", "01-reuseport/2", "1.50", "7.25", "03-jpm/2", "9.50");
    }

    @Test
    void theSpreadChartShowsRequestsPerWorkerAndJainsIndexForEveryConfiguration() throws Exception {
        String svg = svg("spread");

        assertThat(svg).contains("01-reuseport/2 (Jain 0.800)", "75.0", "25.0", "03-jpm/2 (Jain 1.000)", "50.0");
    }

    @Test
    void theReloadTimelineStacksOutcomesAndMarksTheCommandAndTheNewInstance() throws Exception {
        String svg = svg("reload");

        assertThat(svg).contains("jpm reload api under load (2 instances, 16 clients)", "2xx", "5xx", "reset or closed",
                "jpm reload sent", "PID 4003 first answer", "jpm reload returned");
        assertThat(svg).as("an outcome that never happened is left out").doesNotContain("connection refused");
    }

    @Test
    void everyComparisonChartIsCaptionedWithJdkCpusDateAndTheRunCommand() throws Exception {
        for (String chart : List.of("by-workers", "throughput", "latency", "spread", "reload", "cpu", "memory", "spawn-to-ready")) {
            assertThat(svg(chart)).as(chart).contains("JDK 17.0.15+6", "2 CPUs", "2026-11-24", "./compare/run --quick");
        }
    }

    @Test
    void theTableHasTheClientsLatencyAndATimelineRowWithEveryOutcome() throws Exception {
        String table = ResultsTable.markdown(BenchmarkRun.load(SAMPLE));

        assertThat(table).contains("| 01-reuseport/2 | 15,000 ± 300 | 1.50 | 7.25 | [600, 200] | 0.800 |");
        assertThat(table).contains("| `jpm reload api` | 2 | 304 | 300 | 3 | 0 | 1 | 0 | 0 |");
    }

    @Test
    void theCostTableGivesCpuPerRequestAgainstTheSingleJvmAndSaysWhenTheRunCannotTellThemApart() throws Exception {
        String table = ResultsTable.markdown(BenchmarkRun.load(SAMPLE));

        assertThat(table).contains("| configuration | server CPU µs per request | vs single JVM | client CPU µs per request |");
        assertThat(table).contains("| single-jvm/1 | 40.0 (39.0–41.0) | 1.00×, inside the spread | 50.0 | 0.20 | 100 | 80 | 80 | 1 | 1500 |");
        assertThat(table).contains("| 01-reuseport/1 | 42.0 (40.0–44.0) | 1.05×, inside the spread | 50.0 | 0.21 | 100 | 70 | 110 | 2 | 1700 |");
        assertThat(table).contains("| 01-reuseport/2 | 60.0 (58.0–62.0) | 1.50× | 50.0 | 0.30 | 96 (95–97) | 66 (65–67) | 172 | 3 | 2000 (1800–2200) |");
        assertThat(table).contains("| 03-jpm/2 | 95.0 (90.0–100.0) | 2.38× |");
        assertThat(table).contains("- 01-reuseport: worker's line 'Worker created', after Javalin started",
                "- 03-jpm: instance's line 'Worker created' in its jpm log, after Javalin started");
    }

    @Test
    void theCpuChartShowsServerAndClientCostPerRequestWithTheSingleJvmAsALine() throws Exception {
        String svg = svg("cpu");

        assertThat(svg).contains("CPU time per request", "server (all its processes)", "load client (benchmark JVM)",
                "single JVM, server", "40.0", "60.0", "95.0", "50.0", "01-reuseport/2");
    }

    @Test
    void theMemoryChartShowsRssAndPssPerWorkerAndAllProcessesTogether() throws Exception {
        String svg = svg("memory");

        assertThat(svg).contains("memory under load", "RSS per worker", "PSS per worker", "PSS, all processes", "96", "66", "172", "401");
    }

    @Test
    void theStartUpChartShowsTheMedianWorkerFromSpawnToReady() throws Exception {
        String svg = svg("spawn-to-ready");

        assertThat(svg).contains("spawn to ready per worker", "1,500", "2,000", "1,569");
    }

    @Test
    void aReadmeSectionShowsEveryComparisonChart() throws Exception {
        Path readme = out.resolve("README.md");
        Files.writeString(readme, "<!-- bench:compare/demo -->\n<!-- /bench -->\n");

        RenderCharts.refreshSections(readme, List.of(BenchmarkRun.load(SAMPLE)), out);

        assertThat(Files.readString(readme)).contains(
                "![throughput by approach and workers](diagrams/charts/compare-demo-by-workers.svg)",
                "![requests per worker](diagrams/charts/compare-demo-spread.svg)",
                "![reload timeline](diagrams/charts/compare-demo-reload.svg)",
                "![CPU time per request](diagrams/charts/compare-demo-cpu.svg)",
                "![memory per worker](diagrams/charts/compare-demo-memory.svg)",
                "![spawn to ready per worker](diagrams/charts/compare-demo-spawn-to-ready.svg)");
    }
}
