package dev.clusterservers.diagrams;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What one configuration cost ({@code results/RUN.cost/CONFIGURATION.json}, written by
 * {@code compare/}): per measured iteration, the requests served and the CPU seconds the
 * server's processes and the client spent on them; per process, its memory under load and,
 * for a worker, its time from spawn to ready; for a process manager (jpm, PM2), the wall-clock
 * milliseconds of each {@code list} command run after the measurement ({@code listMillis}, null
 * for every other approach). The figures here are medians, with the lowest and highest value
 * beside them, so a reader can see when two rows differ by less than their own spread.
 */
public record Cost(String configuration, int cpus, String jdk, String date, String command, String readySignal,
                   List<Iteration> iterations, List<ProcessCost> processes, List<Long> listMillis) {

    public record Iteration(long requests, double wallSeconds, double serverCpuSeconds, double clientCpuSeconds) { }

    public record ProcessCost(long pid, boolean worker, long rssKiB, long pssKiB, Long spawnToReadyMillis) { }

    /** A median and the range it came from. */
    public record Figure(double median, double low, double high) {
        /** Two figures whose ranges overlap cannot be told apart by this run. */
        public boolean overlaps(Figure other) {
            return low <= other.high && other.low <= high;
        }

        static Optional<Figure> of(List<Double> values) {
            if (values.isEmpty()) {
                return Optional.empty();
            }
            List<Double> sorted = values.stream().sorted().toList();
            int n = sorted.size();
            double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
            return Optional.of(new Figure(median, sorted.get(0), sorted.get(n - 1)));
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    static final double KIB_PER_MIB = 1024;

    static List<Cost> loadAll(Path dir) throws IOException {
        List<Cost> costs = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return costs;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                costs.add(JSON.readValue(file.toFile(), Cost.class));
            }
        }
        return costs;
    }

    /** Server CPU time per request served, in microseconds: every process of the approach, over each measured iteration. */
    public Optional<Figure> serverMicrosPerRequest() {
        return Figure.of(iterations.stream().filter(i -> i.requests() > 0)
                .map(i -> i.serverCpuSeconds() * 1e6 / i.requests()).toList());
    }

    /** The load client's CPU time per request, in microseconds: what the benchmark JVM spent to send them. */
    public Optional<Figure> clientMicrosPerRequest() {
        return Figure.of(iterations.stream().filter(i -> i.requests() > 0)
                .map(i -> i.clientCpuSeconds() * 1e6 / i.requests()).toList());
    }

    /** How many of the machine's cores the server's processes kept busy, on average over the iterations. */
    public Optional<Figure> serverCores() {
        return Figure.of(iterations.stream().filter(i -> i.wallSeconds() > 0).map(i -> i.serverCpuSeconds() / i.wallSeconds()).toList());
    }

    public Optional<Figure> workerRssMiB() {
        return Figure.of(workers().map(p -> p.rssKiB() / KIB_PER_MIB).toList());
    }

    public Optional<Figure> workerPssMiB() {
        return Figure.of(workers().map(p -> p.pssKiB() / KIB_PER_MIB).toList());
    }

    /** Every process of the approach together, master or daemon included: PSS adds up to what they hold between them. */
    public double totalPssMiB() {
        return processes.stream().mapToLong(ProcessCost::pssKiB).sum() / KIB_PER_MIB;
    }

    public Optional<Figure> spawnToReadyMillis() {
        return Figure.of(workers().map(ProcessCost::spawnToReadyMillis).filter(Objects::nonNull).map(Long::doubleValue).toList());
    }

    /** The process manager's {@code list}, wall clock per run; empty for an approach that no manager runs. */
    public Optional<Figure> listCommandMillis() {
        return listMillis == null ? Optional.empty() : Figure.of(listMillis.stream().map(Long::doubleValue).toList());
    }

    /** The workers, children or instances: every process but a master or daemon. */
    Stream<ProcessCost> workers() {
        return processes.stream().filter(ProcessCost::worker);
    }
}
