package dev.clusterservers.diagrams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lab's Markdown: one row per run, the hop's cost, the caption; written from the record, never typed. */
class LabTableTest {

    @Test
    void eachRunIsARowWithItsRetriesRequestsAndFailuresByMethodAndKind() throws Exception {
        String table = LabTable.markdown(LabRecordTest.sample());

        assertThat(table).contains("| run | HAProxy retries | requests | failed GET | failed POST | refused | reset "
                + "| EOF before status | timeout | 5xx | client vs HAProxy | Redis visits for POSTs answered 2xx |");
        assertThat(table).contains("| rolling deploy (drain, jpm reload, ready) to v2 | retry-on, redispatch | 100 | 0 | 0 "
                + "| 0 | 0 | 0 | 0 | 0 | equal | equal |");
    }

    @Test
    void aRunWithFailuresShowsThemInBoldAndByKind() throws Exception {
        String table = LabTable.markdown(LabRecordTest.sample());

        assertThat(table).contains("| host lost (SIGKILL), without retries | none | 143 | **6** | **7** "
                + "| 0 | 2 | 1 | 1 | 9 | h2: client 40, HAProxy 41 | 62 for 60 (+2) |");
    }

    @Test
    void aFourHundredGetsAColumnOnlyWhenOneHappened() throws Exception {
        LabRecord record = LabRecordTest.sample();
        assertThat(LabTable.markdown(record)).doesNotContain("| 4xx |");

        LabRecord.Run run = record.runs().get(0);
        java.util.Map<LabRecord.Outcome, Long> get = new java.util.EnumMap<>(run.outcomes().get("GET"));
        get.put(LabRecord.Outcome.STATUS_4XX, 3L);
        LabRecord.Run withClientBug = new LabRecord.Run(run.name(), run.retries(),
                java.util.Map.of("GET", get, "POST", run.outcomes().get("POST")), run.answeredByHost(),
                run.haproxy2xxByServer(), null, run.events(), run.timeline());
        String table = LabTable.markdown(new LabRecord(record.module(), record.name(), record.kind(), record.date(),
                record.command(), record.java(), record.cpus(), record.hosts(), record.instancesPerHost(),
                record.connections(), null, List.of(withClientBug), List.of()));

        assertThat(table).contains("| timeout | 5xx | 4xx | client vs HAProxy |").contains("| **3** | 0 |");
    }

    @Test
    void redisVisitsAreSetAgainstThePostsAnsweredWhenTheRecordCountedThem() throws Exception {
        String table = LabTable.markdown(LabRecordTest.sample());

        assertThat(table).contains("| client vs HAProxy | Redis visits for POSTs answered 2xx |")
                .contains("| equal | equal |").contains("| h2: client 40, HAProxy 41 | 62 for 60 (+2) |");
    }

    @Test
    void aRecordMadeBeforeTheLabCountedVisitsHasNoVisitsColumn() throws Exception {
        LabRecord record = LabRecordTest.sample();
        LabRecord.Run run = record.runs().get(0);
        LabRecord.Run uncounted = new LabRecord.Run(run.name(), run.retries(), run.outcomes(), run.answeredByHost(),
                run.haproxy2xxByServer(), null, run.events(), run.timeline());

        assertThat(LabTable.markdown(new LabRecord(record.module(), record.name(), record.kind(), record.date(),
                record.command(), record.java(), record.cpus(), record.hosts(), record.instancesPerHost(),
                record.connections(), null, List.of(uncounted), List.of())))
                .contains("| client vs HAProxy |\n").doesNotContain("Redis visits");
    }

    @Test
    void theHopCostTableGivesEachPathsMedianRangeRoundsRequestsAndTheRatioToStraight() throws Exception {
        String table = LabTable.markdown(LabRecordTest.sample());

        assertThat(table).contains("| straight to h1 | 100.0 (90.0–110.0) | 3 | 3,150 |  |")
                .contains("| through HAProxy to h1 | 130.0 (120.0–150.0) | 3 | 2,770 | 1.30× |");
    }

    @Test
    void theTableEndsWithTheCaption() throws Exception {
        assertThat(LabTable.markdown(LabRecordTest.sample()))
                .endsWith("JDK 17.0.15+6 · 2 CPUs · 2026-12-01 10:00 UTC · 04-beyond-one-machine/lab bench --hop-rounds 3\n");
    }

    @Test
    void aSoakRecordHasNoHopCostTableAndSaysHowManyDeploys() throws Exception {
        LabRecord bench = LabRecordTest.sample();
        LabRecord soak = new LabRecord(bench.module(), "lab-soak", "soak", bench.date(), bench.command(), bench.java(),
                bench.cpus(), bench.hosts(), bench.instancesPerHost(), bench.connections(), 20, bench.runs().subList(0, 1), null);

        assertThat(LabTable.markdown(soak)).startsWith("2 hosts × 2 instances, 4 client connections through HAProxy, 20 deploys.")
                .doesNotContain("| path |");
    }

    @Test
    void aMarkedReadmeSectionGetsTheTablesAndEveryChartOfTheRecord(@TempDir Path root) throws Exception {
        System.setProperty("java.awt.headless", "true");
        Path readme = Files.createDirectories(root.resolve("04-beyond-one-machine")).resolve("README.md");
        Files.writeString(readme, "intro\n<!-- bench:04-beyond-one-machine/lab-bench -->\nold\n<!-- /bench -->\n"
                + "<!-- bench:04-beyond-one-machine/lab-soak -->\nold\n<!-- /bench -->\n");

        assertThat(RenderCharts.refreshSections(readme, List.of(), List.of(LabRecordTest.sample()), root)).isTrue();

        assertThat(Files.readString(readme))
                .contains("<!-- bench:04-beyond-one-machine/lab-bench -->\n2 hosts × 2 instances")
                .contains("![rolling deploy (drain, jpm reload, ready) to v2](../diagrams/charts/"
                        + "04-beyond-one-machine-lab-bench-rolling-deploy-drain-jpm-reload-ready-to-v2-timeline.svg)")
                .contains("(../diagrams/charts/04-beyond-one-machine-lab-bench-hop-cost.svg)")
                .contains("<!-- bench:04-beyond-one-machine/lab-soak -->\n_No results yet for 04-beyond-one-machine/lab-soak._")
                .doesNotContain("old");
    }
}
