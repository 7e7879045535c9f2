package dev.clusterservers.shareports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;

/**
 * What JMH's JSON does not say about a run, written beside it for the charts in
 * {@code diagrams/}: the machine (CPUs, JDK), the date, the command that produced it, and
 * how many requests each worker served in one configuration.
 *
 * <p>Files land in {@code results/<run>.spread/<configuration>.json}. The run's name, module
 * and JMH flags come from system properties that {@code exec:exec@jmh} sets on the JMH host
 * JVM, which JMH passes on to every fork.
 */
public record BenchRecord(String module, String run, String jmhArgs, String configuration, int cpus, String jdk,
                          String date, Map<Long, Long> requestsPerWorker, double jainIndex) {

    /** Writes this configuration's record, if the run was started by {@code exec:exec@jmh}. */
    static void write(String configuration, Map<Long, Long> requestsPerWorker) throws IOException {
        String dir = System.getProperty("bench.resultsDir");
        String run = System.getProperty("bench.result");
        if (dir == null || run == null) {
            return;
        }
        BenchRecord record = new BenchRecord(System.getProperty("bench.module", "?"), run,
                System.getProperty("bench.jmhArgs", "").trim(), configuration,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.runtime.version"),
                LocalDate.now().toString(), requestsPerWorker, Fairness.jainIndex(requestsPerWorker.values()));
        Path file = Path.of(dir, run + ".spread", configuration.replaceAll("[^A-Za-z0-9.-]+", "_") + ".json");
        Files.createDirectories(file.getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), record);
    }
}
