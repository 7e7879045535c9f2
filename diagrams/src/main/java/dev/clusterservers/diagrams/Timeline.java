package dev.clusterservers.diagrams;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a client saw while a cluster's instances were replaced ({@code results/RUN.reload/VERB.json},
 * written by {@code compare/}): how many requests ended each way in each time bucket, and
 * the moments that mattered (command sent and returned, an instance's first or last answer).
 */
public record Timeline(String name, String command, int instances, int concurrency, int bucketMillis, int cpus,
                       String jdk, String date, String runCommand, List<Bucket> buckets, List<Event> events) {

    /** Requests that ended in one bucket, by outcome; {@code t} is the bucket's start in seconds. */
    public record Bucket(double t, long ok, long serverError, long refused, long reset, long timeout, long other) {
        public long failed() {
            return serverError + refused + reset + timeout + other;
        }
    }

    public record Event(double t, String what) { }

    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    static List<Timeline> loadAll(Path dir) throws IOException {
        List<Timeline> timelines = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return timelines;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                Timeline read = JSON.readValue(file.toFile(), Timeline.class);
                String name = file.getFileName().toString().replaceFirst("\\.json$", "");
                timelines.add(new Timeline(name, read.command(), read.instances(), read.concurrency(), read.bucketMillis(),
                        read.cpus(), read.jdk(), read.date(), read.runCommand(), read.buckets(), read.events()));
            }
        }
        return timelines;
    }

    public long requests() {
        return buckets.stream().mapToLong(b -> b.ok() + b.failed()).sum();
    }

    public long total(java.util.function.ToLongFunction<Bucket> outcome) {
        return buckets.stream().mapToLong(outcome).sum();
    }

    public String caption() {
        return "JDK " + jdk + " · " + cpus + " CPUs · " + date + " · " + runCommand;
    }
}
