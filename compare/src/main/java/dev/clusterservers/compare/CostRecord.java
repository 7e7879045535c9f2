package dev.clusterservers.compare;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.OptionalDouble;

/**
 * What one configuration cost, in figures that do not depend on how fast the client was or who
 * else used the machine: CPU time per request served, memory per process, and time from spawn
 * to ready per worker. Written raw ({@code results/compare.cost/CONFIGURATION.json}); the
 * charts and tables in {@code diagrams/} take the medians.
 *
 * @param readySignal the line that counted as "ready" for this approach
 * @param iterations  one entry per measured iteration, in order
 * @param processes   every process of the approach, sampled at the end of the last measured iteration (under load)
 * @param listMillis  for a process manager, its {@code list} command timed after the measured
 *                    iterations, wall-clock milliseconds per run; absent (null) for every other approach
 */
record CostRecord(String configuration, int cpus, String jdk, String date, String command, String readySignal,
                  List<Iteration> iterations, List<ProcessCost> processes,
                  @JsonInclude(JsonInclude.Include.NON_NULL) List<Long> listMillis) {

    /**
     * One measured iteration. {@code serverCpuSeconds}: user plus system time of every process of
     * the approach (the master or daemon and everything below it); {@code clientCpuSeconds}: the
     * benchmark JVM's own, where the load client runs.
     */
    record Iteration(long requests, double wallSeconds, double serverCpuSeconds, double clientCpuSeconds) { }

    /**
     * One process. {@code worker} false for a master or daemon; {@code spawnToReadyMillis} null
     * for a process that prints no ready line of its own (a master, a daemon).
     */
    record ProcessCost(long pid, boolean worker, long rssKiB, long pssKiB, Long spawnToReadyMillis) { }

    static final String FOLDER = ComparisonBenchmark.RUN + ".cost";

    /** {@code jdk}: the build the server JVMs ran on (the client's may differ, see {@link ServerJdk}). */
    static CostRecord of(String configuration, String jdk, String command, String readySignal, List<Iteration> iterations,
                         List<ProcessCost> processes, List<Long> listMillis) {
        return new CostRecord(configuration, Runtime.getRuntime().availableProcessors(), jdk,
                LocalDate.now().toString(), command, readySignal, iterations, processes, listMillis);
    }

    /** Writes {@code resultsDir/compare.cost/<configuration>.json}; returns the file. */
    Path writeTo(Path resultsDir) throws IOException {
        Path file = file(resultsDir, configuration);
        Files.createDirectories(file.getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), this);
        return file;
    }

    static CostRecord read(Path resultsDir, String configuration) throws IOException {
        return new ObjectMapper().readValue(file(resultsDir, configuration).toFile(), CostRecord.class);
    }

    private static Path file(Path resultsDir, String configuration) {
        return resultsDir.resolve(FOLDER).resolve(configuration.replaceAll("[^A-Za-z0-9.-]+", "_") + ".json");
    }

    /** The median over the measured iterations of server CPU microseconds per request; empty if none served any. */
    OptionalDouble medianServerMicrosPerRequest() {
        double[] micros = iterations.stream().filter(i -> i.requests() > 0)
                .mapToDouble(i -> i.serverCpuSeconds() * 1e6 / i.requests()).sorted().toArray();
        int n = micros.length;
        return n == 0 ? OptionalDouble.empty() : OptionalDouble.of(n % 2 == 1 ? micros[n / 2] : (micros[n / 2 - 1] + micros[n / 2]) / 2);
    }
}
