package dev.clusterservers.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ConfigurationTest {
    @Test
    void everyApproachRunsAtEveryWorkerCountAndTheOneJvmRowsOnce() {
        List<Configuration> all = Configuration.all(List.of(Approach.values()), List.of(1, 2, 4));

        assertThat(all).hasSize(32);
        assertThat(all.get(0)).hasToString("single-jvm/1");
        assertThat(all.get(1)).hasToString("jetty-handler/1");
        assertThat(all).filteredOn(c -> c.approach().isSingleProcess()).hasSize(2);
        assertThat(all).extracting(Configuration::toString).contains("01-reuseport/4", "02-least-pending/2", "03-jpm/1",
                "node-cluster/4", "node-fork-server/2", "node-pm2/1");
    }

    @Test
    void eachNodeOriginalRunsRightAfterTheLessonItMirrors() {
        List<String> ids = List.of(Approach.values()).stream().map(Approach::id).toList();

        assertThat(ids.indexOf("node-cluster")).isEqualTo(ids.indexOf("01-reuseport") + 1);
        assertThat(ids.indexOf("node-fork-server")).isEqualTo(ids.indexOf("02-least-pending") + 1);
        assertThat(ids.indexOf("node-pm2")).isEqualTo(ids.indexOf("03-jpm") + 1);
        assertThat(List.of(Approach.values())).filteredOn(Approach::isNode).hasSize(3);
    }

    @Test
    void aConfigurationIsNamedAsJmhParameterAndParsedBack() {
        Configuration configuration = Configuration.parse("02-round-robin/4");

        assertThat(configuration).isEqualTo(new Configuration(Approach.FORK_ROUND_ROBIN, 4));
        assertThat(configuration.describe()).isEqualTo("02 fork server, round-robin, 4 workers");
    }

    @Test
    void anUnknownApproachIsRefusedWithTheKnownOnes() {
        assertThatThrownBy(() -> Configuration.parse("04-magic/2"))
                .hasMessageContaining("no approach '04-magic'").hasMessageContaining("01-reuseport");
    }

    @Test
    void theDefaultParametersOfTheBenchmarkAreTheFullComparison() throws Exception {
        String[] defaults = ComparisonBenchmark.class.getField("configuration")
                .getAnnotation(org.openjdk.jmh.annotations.Param.class).value();

        assertThat(defaults).containsExactlyElementsOf(
                Configuration.all(List.of(Approach.values()), List.of(1, 2, 4)).stream().map(Configuration::toString).toList());
    }

    @Test
    void aFailedRequestIsCountedByWhatWentWrong() {
        assertThat(ReloadTimeline.classify(new ExecutionException(new ConnectException("Connection refused"))))
                .isEqualTo(ReloadTimeline.Outcome.REFUSED);
        assertThat(ReloadTimeline.classify(new TimeoutException())).isEqualTo(ReloadTimeline.Outcome.TIMEOUT);
        assertThat(ReloadTimeline.classify(new ExecutionException(new IOException("Connection reset by peer"))))
                .isEqualTo(ReloadTimeline.Outcome.RESET);
        assertThat(ReloadTimeline.classify(new ExecutionException(new IllegalStateException())))
                .isEqualTo(ReloadTimeline.Outcome.OTHER);
    }
}
