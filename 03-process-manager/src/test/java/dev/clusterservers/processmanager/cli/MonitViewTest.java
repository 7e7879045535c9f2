package dev.clusterservers.processmanager.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clusterservers.processmanager.protocol.AppMetric;
import dev.clusterservers.processmanager.protocol.ProcessInfo;
import dev.clusterservers.processmanager.protocol.ProcessInfo.RestartRecord;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MonitViewTest {
    static ProcessInfo instance(int id, List<AppMetric> metrics) {
        return new ProcessInfo(id, "api", "cluster", 4300 + id, 9_000, 1, 0, "online", 13.0, 92L << 20, "alice",
                "/apps/api.jar", "/apps", 8000, "/home/.jpm/logs/api-" + id + "-out.log", "/home/.jpm/logs/api-" + id + "-err.log",
                "17.0.13+11 (Eclipse Adoptium)", metrics, List.of(new RestartRecord(0, "signal 9 (SIGKILL)", 100)),
                "128m", "jpm's default", 1, "jpm's default: 2 cores ÷ 2 instances");
    }

    @ParameterizedTest
    @CsvSource({"160, 48", "80, 24", "60, 12", "300, 100"})
    void theFourPanesTileTheScreenAboveTheHelpLineWithoutOverlapping(int columns, int rows) {
        MonitLayout layout = MonitLayout.of(columns, rows);

        assertThat(layout.processes().width() + layout.logs().width()).isEqualTo(columns);
        assertThat(layout.metrics().width() + layout.metadata().width()).isEqualTo(columns);
        assertThat(layout.processes().height() + layout.metrics().height()).isEqualTo(rows - 1);
        assertThat(layout.logs().column()).isEqualTo(layout.processes().width());
        assertThat(layout.metrics().row()).isEqualTo(layout.processes().height());
        assertThat(layout.helpRow()).isEqualTo(rows - 1);
        assertThat(layout.processes().innerWidth()).as("a process row fits").isGreaterThanOrEqualTo(38);
        assertThat(layout.metrics().innerHeight()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aTerminalTooSmallForFourPanesIsRecognised() {
        assertThat(MonitLayout.fits(160, 48)).isTrue();
        assertThat(MonitLayout.fits(59, 48)).isFalse();
        assertThat(MonitLayout.fits(160, 11)).isFalse();
    }

    @Test
    void theSelectedInstanceIsMarkedAndEveryRowHasTheSameShape() {
        List<String> rows = MonitView.processRows(List.of(instance(0, List.of()), instance(1, List.of())), 1);

        assertThat(rows).containsExactly(
                "  [ 0] api      online     13%  92.0mb",
                "> [ 1] api      online     13%  92.0mb");
    }

    @Test
    void theArrowKeysStopAtEitherEndAndASelectionFollowsItsInstanceAcrossRefreshes() {
        assertThat(MonitView.move(0, -1, 3)).isZero();
        assertThat(MonitView.move(2, 1, 3)).isEqualTo(2);
        assertThat(MonitView.move(0, 1, 3)).isEqualTo(1);
        assertThat(MonitView.move(0, 1, 0)).isZero();

        List<ProcessInfo> afterScaleDown = List.of(instance(0, List.of()), instance(2, List.of()));
        assertThat(MonitView.indexOf(afterScaleDown, 2, 2)).isEqualTo(1);
        assertThat(MonitView.indexOf(afterScaleDown, 3, 2)).as("gone: the nearest row").isEqualTo(1);
    }

    @Test
    void theMetricsPaneShowsJpmsFiguresThenTheAppsOwn() {
        ProcessInfo p = instance(0, List.of(new AppMetric("requests", "counter", "", 1234.0),
                new AppMetric("throughput", "meter", "req/s", 12.34), new AppMetric("latency (mean)", "mean", "ms", null)));

        assertThat(MonitView.detailRows(Details.metrics(p))).containsExactly(
                "cpu            13%",
                "memory         92.0mb",
                "restarts       1 (0 unstable in a row)",
                "uptime         9s",
                "requests       1234",
                "throughput     12.3 req/s",
                "latency (mean) -");
    }

    @Test
    void theMetadataPaneNamesWhatAPersonLooksFor() {
        assertThat(Details.metadata(instance(0, List.of()))).extracting(Details.Row::key)
                .contains("name", "script", "mode", "pid", "exec cwd", "out log", "error log", "jvm");
        assertThat(MonitView.detailRows(Details.metadata(instance(0, List.of())))).contains("jvm       17.0.13+11 (Eclipse Adoptium)");
    }

    @Test
    void describeWritesEachRestartWithItsCauseAndBackOff() {
        assertThat(Details.history(instance(0, List.of()))).singleElement().satisfies(row ->
                assertThat(row.value()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d  signal 9 \\(SIGKILL\\), then waited 100 ms"));
    }

    @Test
    void aLineTooLongForItsPaneIsCutVisibly() {
        assertThat(MonitView.fit("0|api | a long log line", 10)).isEqualTo("0|api | a…").hasSize(10);
        assertThat(MonitView.fit("short", 10)).isEqualTo("short");
        assertThat(MonitView.lastLines(List.of("a", "b", "c"), 2)).containsExactly("b", "c");
    }
}
