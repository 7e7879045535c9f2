package dev.clusterservers.processmanager.bench;

import dev.clusterservers.plumbing.bench.BenchRecord;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How long {@code jpm reload} takes for 2 and 4 instances: one instance at a time, each
 * replacement started, ready (listening), the old one drained and exited. So it grows with
 * the instance count, and is mostly JVM start-up: the time a new Javalin process needs to
 * listen on this machine. The CLI runs inside the benchmark's JVM, so its own start-up is not
 * counted: this is the daemon's time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class ReloadBenchmark {
    @Param({"2", "4"})
    public int instances;

    private JpmCluster cluster;

    @Setup(Level.Trial)
    public void startTheCluster() throws Exception {
        cluster = new JpmCluster(instances);
    }

    @Benchmark
    public String rollingReload() throws Exception {
        return cluster.jpm("reload", "api");
    }

    @TearDown(Level.Trial)
    public void stopTheCluster() throws Exception {
        // No request is served here, so no per-worker counts: the record carries the machine,
        // the date and the command for the chart's caption.
        BenchRecord.write(Integer.toString(instances), Map.of());
        cluster.close();
    }
}
