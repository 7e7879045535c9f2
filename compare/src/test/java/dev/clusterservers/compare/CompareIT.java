package dev.clusterservers.compare;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The quick comparison at its smallest: every approach with one worker, one short measured
 * iteration, then jpm reload and restart under load. Slow on purpose only in how many real
 * JVMs it starts; it checks that each approach produced a score and its records, not the figures.
 */
class CompareIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Instant started = Instant.now();

    @TempDir
    Path results;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void theQuickComparisonAtATinySizeMeasuresEveryApproachAndRecordsTheReloads() throws Exception {
        int exit = new CommandLine(new Compare()).execute("--quick", "--workers", "1", "--warmup-iterations", "0",
                "--iterations", "1", "--iteration-seconds", "1", "--results", results.toString());

        assertThat(exit).as("exit code").isZero();
        Map<String, Double> scores = new HashMap<>();
        for (JsonNode entry : JSON.readTree(results.resolve("compare.json").toFile())) {
            scores.put(entry.path("params").path("configuration").asText(), entry.path("primaryMetric").path("score").asDouble());
        }
        List<String> every = Configuration.all(List.of(Approach.values()), List.of(1)).stream().map(Configuration::toString).toList();
        assertThat(scores).containsOnlyKeys(every);
        assertThat(scores.values()).allSatisfy(score -> assertThat(score).isPositive());
        for (String configuration : every) {
            JsonNode record = JSON.readTree(results.resolve("compare.spread/" + configuration.replace('/', '_') + ".json").toFile());
            assertThat(record.path("requestsPerWorker").size()).as(configuration + " workers counted").isEqualTo(1);
            assertThat(record.path("latencyMillis").path("99.0").asDouble()).as(configuration + " p99").isPositive();
            assertThat(record.path("command").asText()).contains("--iteration-seconds 1");
        }
        for (String verb : List.of("reload", "restart")) {
            JsonNode timeline = JSON.readTree(results.resolve("compare.reload/" + verb + ".json").toFile());
            assertThat(timeline.path("buckets").size()).as(verb + " buckets").isPositive();
            assertThat(timeline.path("events").toString()).contains("jpm " + verb + " sent", "jpm " + verb + " returned");
        }
    }

    /**
     * Whatever happened, nothing this test started may outlive it: JMH's forks and the servers
     * below them, and jpm daemons, which run in a session of their own under a home we named.
     */
    @AfterEach
    void killEverythingThisTestStarted() {
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
        ProcessHandle.allProcesses()
                .filter(p -> p.info().startInstant().map(t -> t.isAfter(started)).orElse(false))
                .filter(p -> p.info().arguments().map(args -> String.join(" ", args).contains("compare-jpm-")).orElse(false))
                .forEach(ProcessHandle::destroyForcibly);
    }
}
