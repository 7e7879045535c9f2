package dev.clusterservers.diagrams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lab's charts: a timeline per run, the hop's cost; their labels short enough to read. */
class LabChartsTest {
    @TempDir
    Path out;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    @Test
    void everyRunGetsATimelineAndTheRecordAHopCostChartInSvgAndPng() throws Exception {
        List<Path> written = RenderCharts.render(LabRecordTest.sample(), out);

        String base = "04-beyond-one-machine-lab-bench-";
        assertThat(written).contains(out.resolve(base + "rolling-deploy-drain-jpm-reload-ready-to-v2-timeline.svg"),
                out.resolve(base + "host-lost-sigkill-without-retries-timeline.png"),
                out.resolve(base + "hop-cost.svg"), out.resolve("04-beyond-one-machine-lab-bench.md"));
    }

    @Test
    void aTimelineStacksAnswersByHostAndReleaseAndShowsFailuresByKindAndTheCaption() throws Exception {
        RenderCharts.render(LabRecordTest.sample(), out);

        List<String> deploy = words("rolling-deploy-drain-jpm-reload-ready-to-v2-timeline");
        assertThat(deploy).contains("h1 · v1", "h1 · v2", "h2 · v1", "no failed request",
                "deploy v2, h1 drain, reload", "h1 ready, v2 done");
        assertThat(String.join("\n", deploy)).contains("JDK 17.0.15+6", "2 CPUs", "2026-12-01 10:00 UTC",
                "04-beyond-one-machine/lab bench --hop-rounds 3");
        List<String> lost = words("host-lost-sigkill-without-retries-timeline");
        assertThat(lost).contains("failed: 5xx", "failed: reset", "failed: EOF before status", "failed: timeout",
                "fail h2 (kill)", "heal h2", "h2 UP").doesNotContain("no failed request");
        assertThat(String.join("\n", lost)).contains("HAProxy retries: none");
    }

    @Test
    void theHopCostChartShowsEachPathsMedian() throws Exception {
        RenderCharts.render(LabRecordTest.sample(), out);

        assertThat(words("hop-cost")).contains("straight to h1", "through HAProxy to h1", "100.0", "130.0");
        assertThat(String.join("\n", words("hop-cost"))).contains("the HAProxy hop");
    }

    @Test
    void stepsAreShortenedToAFewWords() {
        assertThat(LabCharts.shortLabel("h1: drain (HAProxy sends it no new request)")).isEqualTo("h1 drain");
        assertThat(LabCharts.shortLabel("h1: 0 sessions; shipping v2 and running `jpm reload api`")).isEqualTo("h1 reload");
        assertThat(LabCharts.shortLabel("h1: answers v2, ready, UP in HAProxy (13811 ms)")).isEqualTo("h1 ready");
        assertThat(LabCharts.shortLabel("h2: `jpm restart api` with v3 (HAProxy was not told)")).isEqualTo("h2 restart");
        assertThat(LabCharts.shortLabel("every host: `jpm restart api` with v4 at the same moment")).isEqualTo("every host restart");
        assertThat(LabCharts.shortLabel("deploy v2 starts")).isEqualTo("deploy v2");
        assertThat(LabCharts.shortLabel("deploy of v2 done in 51347 ms")).isEqualTo("v2 done");
        assertThat(LabCharts.shortLabel("fail h2 (link)")).isEqualTo("fail h2 (link)");
        assertThat(LabCharts.shortLabel("something the lab will say one day, at length")).hasSizeLessThanOrEqualTo(18);
    }

    @Test
    void stepsWithinAMomentShareOneLineAndNameTheirHostOnce() {
        List<LabRecord.Event> events = List.of(new LabRecord.Event(16.9675, "h1: answers v2, ready, UP in HAProxy (13811 ms)"),
                new LabRecord.Event(16.9683, "h2: drain (HAProxy sends it no new request)"),
                new LabRecord.Event(16.9688, "h2: 0 sessions; shipping v2 and running `jpm reload api`"),
                new LabRecord.Event(36.28, "h2: answers v2, ready, UP in HAProxy (19315 ms)"));

        assertThat(LabCharts.stepGroups(events, 60)).containsExactly(
                java.util.Map.entry(16.9675, "h1 ready, h2 drain, reload"), java.util.Map.entry(36.28, "h2 ready"));
    }

    @Test
    void stepsTooDenseToLabelKeepTheirLinesButLeaveOutLabelsThatWouldOverlap() throws Exception {
        LabRecord.Run run = LabRecordTest.sample().runs().get(0);
        List<LabRecord.Event> dense = java.util.stream.IntStream.range(0, 40)
                .mapToObj(i -> new LabRecord.Event(i * 0.6, "every host: `jpm restart api` with v" + i)).toList();
        LabRecord.Run crowded = new LabRecord.Run(run.name(), run.retries(), run.outcomes(), run.answeredByHost(),
                run.haproxy2xxByServer(), run.visitsCounted(), dense, run.timeline());

        org.jfree.chart.plot.XYPlot answers = ((org.jfree.chart.plot.CombinedDomainXYPlot)
                LabCharts.timeline(LabRecordTest.sample(), crowded).getPlot()).getSubplots().get(0);
        java.util.Collection<?> lines = answers.getDomainMarkers(org.jfree.chart.ui.Layer.FOREGROUND);

        assertThat(lines).hasSize(40);
        assertThat(lines.stream().filter(m -> ((org.jfree.chart.plot.Marker) m).getLabel() != null).count())
                .isBetween(1L, 39L);
    }

    @Test
    void aLongRunIsDrawnInBarsOfAFewSecondsEachTheMeanPerSecondOfItsSeconds() throws Exception {
        assertThat(LabCharts.bucketSeconds(60)).isEqualTo(1);
        assertThat(LabCharts.bucketSeconds(1717)).isEqualTo(8);

        LabRecord.Run run = LabRecordTest.sample().runs().get(0);
        // h1 answered 25 in second 0 and 25 in second 2: bars of 1 s each, then (in a run of 1,000 s) one bar of 5 s.
        assertThat(LabCharts.perSecond(run, c -> c.host().equals("h1"), 3)).containsExactly(25, 0, 25);
        assertThat(LabCharts.perSecond(run, c -> c.host().equals("h1"), 1000)[0]).isEqualTo(50 / 5.0);
    }

    @Test
    void runNamesBecomeFileNames() {
        assertThat(LabCharts.slug("host lost (link cut), with retry-on + redispatch"))
                .isEqualTo("host-lost-link-cut-with-retry-on-redispatch");
    }

    /** The words the SVG shows, one per text element: a failure prints these, not the whole SVG. */
    private List<String> words(String chart) throws Exception {
        return ArchitectureDiagrams.labels(
                Files.readString(out.resolve("04-beyond-one-machine-lab-bench-" + chart + ".svg"), StandardCharsets.UTF_8));
    }
}
