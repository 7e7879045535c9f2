package dev.clusterservers.plumbing.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;

/**
 * What JMH's JSON does not say about a run, written beside it for the charts in
 * {@code diagrams/}: the machine (CPUs, JDK), the date, the command that produced it, how
 * many requests each worker served in one configuration and, when the client timed every
 * request itself, its latency percentiles.
 *
 * <p>Files land in {@code results/<run>.spread/<configuration>.json}. Lesson 01's benchmark
 * and the cross-lesson comparison ({@code compare/}) both write this one format, so the
 * renderer reads one format.
 *
 * @param jmhArgs the extra JMH flags of an {@code exec:exec@jmh} run, else empty
 * @param command the exact command of the run, when it was not {@code exec:exec@jmh}; else empty
 * @param latencyMillis percentiles measured by the client ({@code "50.0"}, {@code "99.0"}), or empty
 */
public record BenchRecord(String module, String run, String jmhArgs, String command, String configuration, int cpus,
                          String jdk, String date, Map<Long, Long> requestsPerWorker, double jainIndex,
                          Map<String, Double> latencyMillis) {

    /** A record of this JVM's machine, made today. */
    public static BenchRecord of(String module, String run, String jmhArgs, String command, String configuration,
                                 Map<Long, Long> requestsPerWorker, Map<String, Double> latencyMillis) {
        return new BenchRecord(module, run, jmhArgs, command, configuration, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.runtime.version"), LocalDate.now().toString(), requestsPerWorker,
                Fairness.jainIndex(requestsPerWorker.values()), latencyMillis);
    }

    /**
     * Writes this configuration's record, if the run was started by {@code exec:exec@jmh}: the
     * run's name, module and JMH flags come from system properties that it sets on the JMH host
     * JVM, which JMH passes on to every fork.
     */
    public static void write(String configuration, Map<Long, Long> requestsPerWorker) throws IOException {
        String dir = System.getProperty("bench.resultsDir");
        String run = System.getProperty("bench.result");
        if (dir == null || run == null) {
            return;
        }
        of(System.getProperty("bench.module", "?"), run, System.getProperty("bench.jmhArgs", "").trim(), "",
                configuration, requestsPerWorker, Map.of()).writeTo(Path.of(dir));
    }

    /** Writes {@code resultsDir/<run>.spread/<configuration>.json}; returns the file. */
    public Path writeTo(Path resultsDir) throws IOException {
        Path file = resultsDir.resolve(run + ".spread").resolve(configuration.replaceAll("[^A-Za-z0-9.-]+", "_") + ".json");
        Files.createDirectories(file.getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), this);
        return file;
    }
}
