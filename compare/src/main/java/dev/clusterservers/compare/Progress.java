package dev.clusterservers.compare;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import java.util.OptionalDouble;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.IterationType;
import org.openjdk.jmh.runner.format.OutputFormat;

/**
 * One line per configuration on the terminal, {@code [7/32] 01 SO_REUSEPORT, 2 workers www... 12,345 req/s, 41.2 µs CPU per request},
 * a letter per iteration while it runs; everything JMH would print (and the forks' own output)
 * goes to a log file instead, named when a configuration fails. The CPU figure is the median
 * over the measured iterations from the fork's cost record: throughput depends on the client
 * and the neighbours, CPU per request much less.
 */
final class Progress implements OutputFormat {
    private final PrintStream terminal;
    private final PrintStream log;
    private final String logName;
    private final int total;
    private final Path results;
    private int started;
    private boolean open;

    Progress(PrintStream terminal, PrintStream log, String logName, int total, Path results) {
        this.terminal = terminal;
        this.log = log;
        this.logName = logName;
        this.total = total;
        this.results = results;
    }

    @Override
    public void startBenchmark(BenchmarkParams params) {
        finishFailed();
        started++;
        String width = Integer.toString(Integer.toString(total).length());
        terminal.printf("[%" + width + "d/%d] %s ", started, total, Configuration.parse(params.getParam("configuration")).describe());
        terminal.flush();
        open = true;
        log.println("# " + params.getParam("configuration"));
    }

    @Override
    public void iteration(BenchmarkParams params, IterationParams iteration, int n) {
    }

    @Override
    public void iterationResult(BenchmarkParams params, IterationParams iteration, int n, IterationResult data) {
        terminal.print(iteration.getType() == IterationType.WARMUP ? "w" : ".");
        terminal.flush();
        log.println((iteration.getType() == IterationType.WARMUP ? "warm-up " : "iteration ") + n + ": "
                + data.getPrimaryResult().toString());
    }

    @Override
    public void endBenchmark(BenchmarkResult result) {
        if (result == null) {
            finishFailed();
            return;
        }
        if (!complete(result)) {
            // JMH keeps the iterations done before a failure; a score from part of the run is not comparable.
            terminal.println(" FAILED after " + measuredIterations(result) + " of " + result.getParams().getMeasurement().getCount()
                    + " measured iterations (see " + logName + ")");
            open = false;
            return;
        }
        Result<?> score = result.getPrimaryResult();
        terminal.println(String.format(Locale.ROOT, " %,.0f req/s", score.getScore())
                + serverCpuPerRequest(result.getParams().getParam("configuration")));
        open = false;
    }

    /** {@code , 41.2 µs CPU per request}, or nothing if the fork wrote no cost record. */
    private String serverCpuPerRequest(String configuration) {
        try {
            OptionalDouble micros = CostRecord.read(results, configuration).medianServerMicrosPerRequest();
            return micros.isPresent() ? String.format(Locale.ROOT, ", %.1f µs CPU per request", micros.getAsDouble()) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** A configuration that produced every measured iteration it was asked for. */
    static boolean complete(BenchmarkResult result) {
        return measuredIterations(result) >= result.getParams().getMeasurement().getCount();
    }

    private static long measuredIterations(BenchmarkResult result) {
        return result.getIterationResults().stream().filter(i -> i.getParams().getType() == IterationType.MEASUREMENT).count();
    }

    /** JMH reports a configuration whose setup or benchmark threw only in its output; the run goes on. */
    private void finishFailed() {
        if (open) {
            terminal.println(" FAILED (see " + logName + ")");
            open = false;
        }
    }

    @Override
    public void startRun() {
    }

    @Override
    public void endRun(Collection<RunResult> results) {
        finishFailed();
    }

    @Override
    public void print(String s) {
        log.print(s);
    }

    @Override
    public void println(String s) {
        log.println(s);
    }

    @Override
    public void flush() {
        log.flush();
    }

    @Override
    public void close() {
        log.flush();
    }

    @Override
    public void verbosePrintln(String s) {
        log.println(s);
    }

    @Override
    public void write(int b) {
        log.write(b);
    }

    @Override
    public void write(byte[] b) throws IOException {
        log.write(b);
    }
}
