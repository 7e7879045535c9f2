package dev.clusterservers.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ConfigurationTest {
    @Test
    void everyApproachRunsAtEveryWorkerCountAndTheOneJvmRowsOnce() {
        List<Configuration> all = Configuration.all(List.of(Approach.values()), List.of(1, 2, 4), List.of());

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
    void anotherJdkRunsEveryJavaRowAgainRightAfterItAndNoNodeRow() {
        List<String> all = Configuration.all(List.of(Approach.SINGLE_JVM, Approach.SHARE_SHARED, Approach.NODE_CLUSTER),
                List.of(2), List.of("jdk25")).stream().map(Configuration::toString).toList();

        assertThat(all).containsExactly("single-jvm/1", "single-jvm/1@jdk25", "01-shared/2", "01-shared/2@jdk25", "node-cluster/2");
    }

    @Test
    void aRowOnAnotherJdkIsNamedWithItsLabelAndParsedBack() {
        Configuration configuration = Configuration.parse("01-shared/2@jdk25");

        assertThat(configuration).isEqualTo(new Configuration(Approach.SHARE_SHARED, 2, "jdk25"));
        assertThat(configuration).hasToString("01-shared/2@jdk25");
        assertThat(configuration.describe()).isEqualTo("01 shared listener, 2 workers, on jdk25");
        assertThatThrownBy(() -> Configuration.parse("node-pm2/2@jdk25")).hasMessageContaining("runs on Node.js");
        assertThatThrownBy(() -> Configuration.parse("01-shared/2@")).hasMessageContaining("APPROACH/WORKERS@JDK");
    }

    @Test
    void aJdkIsNamedByItsFolderOrItsJavaAndLabelledByItsFeatureRelease() {
        Path home = Path.of(System.getProperty("java.home"));

        ServerJdk byFolder = ServerJdk.at(home);
        assertThat(byFolder.label()).isEqualTo("jdk" + Runtime.version().feature());
        assertThat(byFolder.version()).isEqualTo(System.getProperty("java.runtime.version"));
        assertThat(ServerJdk.at(home.resolve("bin/java"))).isEqualTo(byFolder);
        assertThat(byFolder.javaBinary()).isEqualTo(home.resolve("bin/java").toString());
        assertThatThrownBy(() -> ServerJdk.at(Path.of("/no/such/jdk")))
                .hasMessage("--java /no/such/jdk: no JDK there (expected a folder with bin/java and a release file, or its bin/java)");
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
                Configuration.all(List.of(Approach.values()), List.of(1, 2, 4), List.of()).stream().map(Configuration::toString).toList());
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
