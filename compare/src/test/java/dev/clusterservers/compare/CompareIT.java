package dev.clusterservers.compare;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The quick comparison at its smallest: every Java approach with one worker, the plain Jetty
 * row, Node's cluster (the one Node original that needs no {@code npm ci}), one short measured
 * iteration, then jpm reload and restart under load. Slow on purpose only in how many real
 * processes it starts; it checks that each approach produced a score and its records, not the
 * figures. It prints the comparison's progress lines, so a CI log shows it working.
 */
class CompareIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Instant started = Instant.now();

    @TempDir
    Path results;

    /** About 2 minutes on a quiet 2-core machine; the timeout leaves room for a busy one (5.5 minutes at load 35). */
    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void theQuickComparisonAtATinySizeMeasuresEveryApproachAndRecordsTheReloads() throws Exception {
        List<Approach> approaches = new ArrayList<>(List.of(Approach.values()).stream().filter(a -> !a.isNode()).toList());
        StringBuilder whyNoNode = new StringBuilder();
        if (Lessons.nodeVersion(whyNoNode).isPresent()) {
            approaches.add(Approach.NODE_CLUSTER);
        } else if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI must have Node.js " + Lessons.NODE_MAJOR + "+ for the Node row: " + whyNoNode);
        } else {
            System.out.println("CompareIT: " + whyNoNode + "; the Node row is left out");
        }

        int exit = new CommandLine(new Compare()).execute("--quick", "--workers", "1", "--warmup-iterations", "0",
                "--iterations", "1", "--iteration-seconds", "1", "--results", results.toString(),
                "--approaches", approaches.stream().map(Approach::id).collect(Collectors.joining(",")));

        assertThat(exit).as("exit code").isZero();
        Map<String, Double> scores = new HashMap<>();
        for (JsonNode entry : JSON.readTree(results.resolve("compare.json").toFile())) {
            scores.put(entry.path("params").path("configuration").asText(), entry.path("primaryMetric").path("score").asDouble());
        }
        List<String> every = Configuration.all(approaches, List.of(1), List.of()).stream().map(Configuration::toString).toList();
        assertThat(scores).containsOnlyKeys(every);
        assertThat(scores.values()).allSatisfy(score -> assertThat(score).isPositive());
        for (String configuration : every) {
            JsonNode record = JSON.readTree(results.resolve("compare.spread/" + configuration.replace('/', '_') + ".json").toFile());
            assertThat(record.path("requestsPerWorker").size()).as(configuration + " workers counted").isEqualTo(1);
            assertThat(record.path("latencyMillis").path("99.0").asDouble()).as(configuration + " p99").isPositive();
            assertThat(record.path("command").asText()).contains("--iteration-seconds 1");
            JsonNode cost = JSON.readTree(results.resolve("compare.cost/" + configuration.replace('/', '_') + ".json").toFile());
            assertThat(cost.path("iterations").size()).as(configuration + " measured iterations").isEqualTo(1);
            JsonNode iteration = cost.path("iterations").path(0);
            assertThat(iteration.path("requests").asLong()).as(configuration + " requests").isPositive();
            assertThat(iteration.path("serverCpuSeconds").asDouble()).as(configuration + " server CPU").isPositive();
            assertThat(iteration.path("clientCpuSeconds").asDouble()).as(configuration + " client CPU").isPositive();
            List<JsonNode> workers = new ArrayList<>();
            cost.path("processes").forEach(p -> {
                if (p.path("worker").asBoolean()) {
                    workers.add(p);
                }
            });
            assertThat(workers).as(configuration + " workers sampled").hasSize(1);
            assertThat(workers.get(0).path("rssKiB").asLong()).as(configuration + " RSS").isPositive();
            assertThat(workers.get(0).path("pssKiB").asLong()).as(configuration + " PSS").isPositive()
                    .isLessThanOrEqualTo(workers.get(0).path("rssKiB").asLong());
            assertThat(workers.get(0).path("spawnToReadyMillis").asLong()).as(configuration + " spawn to ready").isPositive();
            assertThat(cost.path("readySignal").asText()).as(configuration + " ready signal").isNotBlank();
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
