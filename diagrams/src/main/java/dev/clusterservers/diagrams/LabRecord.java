package dev.clusterservers.diagrams;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * One record of lesson 04's lab ({@code 04-beyond-one-machine/results/lab-bench.json} or
 * {@code lab-soak.json}, written by its {@code lab bench} and {@code lab soak}): the machine and
 * the command, the lab's size, and per measured run how every request ended, second by second,
 * with the steps the lab took. The record holds only what was counted; the medians of the hop
 * cost and every total are computed here.
 *
 * @param module the lesson folder the record was found in; {@code name} its file name without {@code .json}
 * @param kind   {@code bench} or {@code soak}; {@code deploys} is set for a soak only
 */
public record LabRecord(String module, String name, String kind, String date, String command, String java, int cpus,
                        int hosts, int instancesPerHost, int connections, Integer deploys, List<Run> runs,
                        List<HopCost> hopCost) {

    /** How one request ended, as the lab's client counts it (lesson 04's {@code load.Outcome}, with its labels). */
    public enum Outcome {
        OK("ok"), REFUSED("refused"), RESET("reset"), EOF("EOF before status"), TIMEOUT("timeout"),
        STATUS_5XX("5xx"), STATUS_4XX("4xx");

        public final String label;

        Outcome(String label) {
            this.label = label;
        }

        public boolean failed() {
            return this != OK;
        }
    }

    /**
     * One measured run: what the lab did under load, and how each request ended.
     *
     * @param visitsCounted how much Redis's visit counter grew during the run; null in a record
     *                      made before the lab counted it
     */
    public record Run(String name, String retries, Map<String, Map<Outcome, Long>> outcomes,
                      Map<String, Long> answeredByHost, Map<String, Long> haproxy2xxByServer, Long visitsCounted,
                      List<Event> events, List<Count> timeline) {
        public Run {
            outcomes = outcomes == null ? Map.of() : outcomes;
            answeredByHost = answeredByHost == null ? Map.of() : answeredByHost;
            haproxy2xxByServer = haproxy2xxByServer == null ? Map.of() : haproxy2xxByServer;
            events = events == null ? List.of() : events;
            timeline = timeline == null ? List.of() : timeline;
        }

        /** Every request the client sent, however it ended. */
        public long requests() {
            return outcomes.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum();
        }

        /** Requests of one method ({@code GET}, {@code POST}) that got no 2xx or 3xx. */
        public long failed(String method) {
            return outcomes.getOrDefault(method, Map.of()).entrySet().stream()
                    .filter(e -> e.getKey().failed()).mapToLong(Map.Entry::getValue).sum();
        }

        /** Requests of every method that ended one way. */
        public long total(Outcome outcome) {
            return outcomes.values().stream().mapToLong(m -> m.getOrDefault(outcome, 0L)).sum();
        }

        /** The last second the timeline counted anything in (0 for an empty one). */
        public int lastSecond() {
            return timeline.stream().mapToInt(Count::second).max().orElse(0);
        }

        /**
         * The hosts whose 2xx count differs between the client ({@code answeredByHost}) and HAProxy's
         * own statistics ({@code haproxy2xxByServer}), each as {client, HAProxy}; a host one side
         * never names counted 0 there. Empty when both sides agree on every host.
         */
        public Map<String, long[]> clientVersusHaproxy() {
            Map<String, long[]> differences = new TreeMap<>();
            List<String> hosts = Stream.concat(answeredByHost.keySet().stream(), haproxy2xxByServer.keySet().stream())
                    .distinct().sorted().toList();
            for (String host : hosts) {
                long client = answeredByHost.getOrDefault(host, 0L);
                long haproxy = haproxy2xxByServer.getOrDefault(host, 0L);
                if (client != haproxy) {
                    differences.put(host, new long[] {client, haproxy});
                }
            }
            return differences;
        }
    }

    /** Something the lab did, {@code second} seconds after the load started. */
    public record Event(double second, String what) {
    }

    /** Requests of one method that ended one way in one second; {@code host} and {@code release} are "-" for a failure. */
    public record Count(int second, String method, Outcome outcome, String host, String release, long count) {
    }

    /** One round of the hop-cost measurement: server CPU per request on one path. */
    public record HopCost(int round, String path, long requests, double cpuMicrosPerRequest) {
    }

    /** The path that does not go through HAProxy: the hop's cost is measured against it. */
    static final String STRAIGHT = "straight";

    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public LabRecord {
        runs = runs == null ? List.of() : runs;
        hopCost = hopCost == null ? List.of() : hopCost;
    }

    /** A lab record is one JSON object with a {@code kind} and {@code runs}; JMH's results are an array. */
    static boolean isLabRecord(Path json) throws IOException {
        if (!Files.isRegularFile(json)) {
            return false;
        }
        JsonNode root = JSON.readTree(json.toFile());
        return root != null && root.isObject() && root.has("kind") && root.has("runs");
    }

    /** Reads one record; empty if the file does not exist. */
    public static Optional<LabRecord> load(Path json) throws IOException {
        if (!Files.isRegularFile(json)) {
            return Optional.empty();
        }
        LabRecord read = JSON.readValue(json.toFile(), LabRecord.class);
        String name = json.getFileName().toString().replaceFirst("\\.json$", "");
        String module = json.toAbsolutePath().getParent().getParent().getFileName().toString();
        return Optional.of(new LabRecord(module, name, read.kind(), read.date(), read.command(), read.java(), read.cpus(),
                read.hosts(), read.instancesPerHost(), read.connections(), read.deploys(), read.runs(), read.hopCost()));
    }

    /** The caption of every chart and table of the record: JDK, CPU count, date and the command that made it. */
    public String caption() {
        String how = command == null || command.isBlank() ? module + "/results/" + name + ".json · command not recorded" : command;
        return "JDK " + java + " · " + cpus + " CPUs · " + shortDate() + " · " + how;
    }

    /** What was measured on: "3 hosts × 2 instances, 8 client connections through HAProxy". */
    public String setup() {
        String setup = hosts + " hosts × " + instancesPerHost + " instances, " + connections + " client connections through HAProxy";
        return deploys == null ? setup : setup + ", " + deploys + " deploys";
    }

    /** To the minute, in UTC: the record's nanoseconds say nothing a reader needs. */
    String shortDate() {
        try {
            return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC).format(Instant.parse(date));
        } catch (DateTimeParseException | NullPointerException e) {
            return String.valueOf(date);
        }
    }

    /** Server CPU µs per request on each path, the median of its rounds and their range, in the record's order. */
    public Map<String, Cost.Figure> hopCostByPath() {
        Map<String, List<Double>> byPath = new LinkedHashMap<>();
        hopCost.forEach(h -> byPath.computeIfAbsent(h.path(), p -> new ArrayList<>()).add(h.cpuMicrosPerRequest()));
        Map<String, Cost.Figure> figures = new LinkedHashMap<>();
        byPath.forEach((path, values) -> Cost.Figure.of(values).ifPresent(f -> figures.put(path, f)));
        return figures;
    }

    /** The path straight to a host, against which the HAProxy hop is compared. */
    public Optional<String> straightPath() {
        return hopCostByPath().keySet().stream().filter(p -> p.startsWith(STRAIGHT)).findFirst();
    }

    public long hopRequests(String path) {
        return hopCost.stream().filter(h -> h.path().equals(path)).mapToLong(HopCost::requests).sum();
    }

    public long hopRounds(String path) {
        return hopCost.stream().filter(h -> h.path().equals(path)).count();
    }
}
