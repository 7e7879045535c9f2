package dev.clusterservers.processmanager.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.clusterservers.processmanager.protocol.AppMetric;
import dev.clusterservers.processmanager.protocol.ProcessInfo;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The example app's own metrics reach {@code describe}, and a crash shows in the restart history. */
@Timeout(120)
class AppMetricsIT extends JpmInAPrivateHome {
    static final int REQUESTS = 25;
    /** The app publishes once a second; a few seconds covers a busy machine. */
    static final Duration PUBLISHED_WITHIN = Duration.ofSeconds(15);

    static Map<String, AppMetric> byName(ProcessInfo p) {
        return p.metrics().stream().collect(Collectors.toMap(AppMetric::name, Function.identity()));
    }

    @Test
    void requestsPerSecondAndMeanLatencyOfTheExampleAppAppearInDescribeJson() throws Exception {
        jpm.jpm("start", jpm.ecosystem("{\"apps\":[" + jpm.apiApp(1, port, "") + "]}").toString()).expectOk();

        for (int i = 0; i < REQUESTS; i++) {
            JpmHarness.get(port, "/");
        }

        await().atMost(PUBLISHED_WITHIN).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Map<String, AppMetric> metrics = byName(jpm.describe("api"));
            assertThat(metrics).containsKeys("requests", "throughput", "latency (mean)");
            assertThat(metrics.get("requests").value()).isEqualTo(REQUESTS);
            assertThat(metrics.get("throughput").value()).isPositive();
            assertThat(metrics.get("throughput").unit()).isEqualTo("req/s");
            assertThat(metrics.get("latency (mean)").value()).isNotNull().isPositive();
        });
        assertThat(jpm.describe("api").jvm()).as("the agent named its JVM").contains(System.getProperty("java.specification.version"));
    }

    @Test
    void describeShowsTheAppsMetricsAndTheRestartAfterACrash() throws Exception {
        jpm.jpm("start", jpm.ecosystem("{\"apps\":[" + jpm.apiApp(1, port, "") + "]}").toString()).expectOk();
        long first = jpm.describe("api").pid();
        JpmHarness.get(port, "/");

        ProcessHandle.of(first).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            ProcessInfo now = jpm.describe("api");
            return now.pid() != first && now.status().equals("online");
        });
        JpmHarness.get(port, "/");

        await().atMost(PUBLISHED_WITHIN).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(jpm.jpm("describe", "api").expectOk().out())
                        .containsPattern("restart +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d  signal 9 \\(SIGKILL\\), then waited 100 ms")
                        .containsPattern("requests +1\\n")
                        .contains("req/s"));
    }
}
