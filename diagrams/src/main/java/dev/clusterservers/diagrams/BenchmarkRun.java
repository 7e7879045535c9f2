package dev.clusterservers.diagrams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * One benchmark run as the charts need it: JMH's JSON ({@code results/NAME.json}) and the
 * records the benchmark wrote beside it ({@code results/NAME.spread/*.json}: machine, date,
 * command, requests per worker, client-side latency; {@code results/NAME.reload/*.json}: request
 * outcomes over time while a cluster was reloaded; {@code results/NAME.cost/*.json}: CPU time per
 * request, memory and start-up of each configuration).
 */
public record BenchmarkRun(String module, String name, String jdk, List<Result> results, List<Spread> spreads,
                           List<Timeline> timelines, List<Cost> costs) {

    public BenchmarkRun(String module, String name, String jdk, List<Result> results, List<Spread> spreads) {
        this(module, name, jdk, results, spreads, List.of(), List.of());
    }

    /** One JMH result: a configuration (its varying parameters), a mode, a score. */
    public record Result(String configuration, String mode, double score, double error, String unit,
                         Map<String, Double> percentiles) {
    }

    /**
     * How many requests each worker served in one configuration, and where it ran. {@code command}
     * is empty for an {@code exec:exec@jmh} run; {@code latencyMillis} holds the percentiles the
     * client measured itself ({@code "50.0"}, {@code "99.0"}), if it did.
     */
    public record Spread(String configuration, Map<String, Long> requestsPerWorker, double jainIndex,
                         int cpus, String jdk, String date, String jmhArgs, String command,
                         Map<String, Double> latencyMillis) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    public static BenchmarkRun load(Path jmhJson) throws IOException {
        String name = jmhJson.getFileName().toString().replaceFirst("\\.json$", "");
        String module = jmhJson.toAbsolutePath().getParent().getParent().getFileName().toString();
        JsonNode root = JSON.readTree(jmhJson.toFile());
        if (!root.isArray()) {
            throw new IOException(jmhJson + " is not JMH's JSON (expected an array of results)");
        }
        List<Result> results = new ArrayList<>();
        String jdk = root.path(0).path("jdkVersion").asText("?");
        for (JsonNode entry : root) {
            JsonNode metric = entry.path("primaryMetric");
            Map<String, Double> percentiles = new TreeMap<>();
            metric.path("scorePercentiles").fields()
                    .forEachRemaining(p -> percentiles.put(p.getKey(), p.getValue().asDouble()));
            results.add(new Result(configuration(entry.path("params")), entry.path("mode").asText(),
                    metric.path("score").asDouble(), errorOf(metric), metric.path("scoreUnit").asText(), percentiles));
        }
        return new BenchmarkRun(module, name, jdk, results, loadSpreads(jmhJson.resolveSibling(name + ".spread")),
                Timeline.loadAll(jmhJson.resolveSibling(name + ".reload")), Cost.loadAll(jmhJson.resolveSibling(name + ".cost")));
    }

    /** Parameter values joined in JMH's order, e.g. {@code round-robin/2,keep-alive}. */
    private static String configuration(JsonNode params) {
        List<String> values = new ArrayList<>();
        for (Iterator<JsonNode> it = params.elements(); it.hasNext(); ) {
            values.add(it.next().asText());
        }
        return values.isEmpty() ? "default" : String.join(",", values);
    }

    private static double errorOf(JsonNode metric) {
        double error = metric.path("scoreError").asDouble(Double.NaN);
        return Double.isNaN(error) ? 0 : error;
    }

    private static List<Spread> loadSpreads(Path dir) throws IOException {
        List<Spread> spreads = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return spreads;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonNode node = JSON.readTree(file.toFile());
                Map<String, Long> perWorker = new LinkedHashMap<>();
                node.path("requestsPerWorker").fields().forEachRemaining(e -> perWorker.put(e.getKey(), e.getValue().asLong()));
                Map<String, Double> latency = new TreeMap<>();
                node.path("latencyMillis").fields().forEachRemaining(e -> latency.put(e.getKey(), e.getValue().asDouble()));
                spreads.add(new Spread(node.path("configuration").asText(), perWorker, node.path("jainIndex").asDouble(),
                        node.path("cpus").asInt(), node.path("jdk").asText(), node.path("date").asText(),
                        node.path("jmhArgs").asText(), node.path("command").asText(""), latency));
            }
        }
        return spreads;
    }

    public List<Result> inMode(String mode) {
        return results.stream().filter(r -> r.mode().equals(mode)).toList();
    }

    /** The cost records in the order the run measured their configurations. */
    public List<Cost> costsInRunOrder() {
        List<String> order = results.stream().map(Result::configuration).distinct().toList();
        return costs.stream().sorted(java.util.Comparator.comparingInt(
                c -> order.contains(c.configuration()) ? order.indexOf(c.configuration()) : order.size())).toList();
    }

    public Optional<Cost> costOf(String configuration) {
        return costs.stream().filter(c -> c.configuration().equals(configuration)).findFirst();
    }

    public Optional<Spread> spreadOf(String configuration) {
        return spreads.stream().filter(s -> s.configuration().equals(configuration)).findFirst();
    }

    /**
     * Median and 99th percentile in milliseconds: from JMH's {@code SampleTime} mode if the run
     * has it, else from what the client measured itself (the spread record); empty if neither.
     */
    public Optional<double[]> latencyMillis(String configuration) {
        Optional<Result> sample = inMode(Charts.SAMPLE).stream().filter(r -> r.configuration().equals(configuration)).findFirst();
        if (sample.isPresent()) {
            return Optional.of(new double[] {Charts.millis(sample.get(), "50.0"), Charts.millis(sample.get(), "99.0")});
        }
        return spreadOf(configuration).filter(s -> s.latencyMillis().containsKey("50.0") && s.latencyMillis().containsKey("99.0"))
                .map(s -> new double[] {s.latencyMillis().get("50.0"), s.latencyMillis().get("99.0")});
    }

    /** Configurations with a latency, in the order of the results. */
    public List<String> configurationsWithLatency() {
        return results.stream().map(Result::configuration).distinct().filter(c -> latencyMillis(c).isPresent()).toList();
    }

    /**
     * The caption every chart of this run carries: JDK, CPU count, date and the command. A run
     * made without {@code exec:exec@jmh} recorded none of these but the JDK, and says so
     * rather than guess.
     */
    public String caption() {
        if (spreads.isEmpty()) {
            return "JDK " + jdk + " · " + module + "/results/" + name + ".json · CPU count, date and command not recorded";
        }
        Spread any = spreads.get(0);
        if (!any.command().isBlank()) {
            return "JDK " + any.jdk() + " · " + any.cpus() + " CPUs · " + any.date() + " · " + any.command();
        }
        String command = "./mvnw -pl " + module + " test-compile exec:exec@jmh -Djmh.result=" + name;
        if (!any.jmhArgs().isBlank()) {
            command += " -Djmh.args=\"" + any.jmhArgs() + "\"";
        }
        return "JDK " + any.jdk() + " · " + any.cpus() + " CPUs · " + any.date() + " · " + command;
    }
}
