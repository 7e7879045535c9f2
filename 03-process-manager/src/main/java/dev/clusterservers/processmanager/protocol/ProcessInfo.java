package dev.clusterservers.processmanager.protocol;

import java.util.List;

/**
 * One instance, as {@code jpm list} and {@code jpm describe} show it. CPU and memory are
 * measured one way everywhere: from {@code /proc/<pid>} by the daemon (see {@code ProcStats}).
 *
 * @param pid        0 when no process runs (stopped, errored, waiting to restart)
 * @param cpuPercent over the last sampling interval; 100 = one whole core
 * @param memoryBytes resident set size, as {@code ps -o rss} shows it
 * @param jvm        the JVM the instance runs on, as its agent reported it; null before it did
 * @param metrics    what the app last published with the metrics client; empty if nothing
 * @param maxHeap    the instance's heap limit ({@code 128m}), or the jvm_args flag that sets it
 * @param maxHeapSource who chose it: jpm's default, half of max_memory_restart, or jvm_args
 * @param processors the cores the instance's JVM sizes itself for ({@code -XX:ActiveProcessorCount})
 * @param processorsSource who chose it: jpm's default (the cores ÷ the instances), the machine, or jvm_args
 */
public record ProcessInfo(
        int id,
        String name,
        String mode,
        long pid,
        long uptimeMs,
        int restarts,
        int unstableRestarts,
        String status,
        double cpuPercent,
        long memoryBytes,
        String user,
        String script,
        String cwd,
        int port,
        String outLog,
        String errLog,
        String jvm,
        List<AppMetric> metrics,
        List<RestartRecord> history,
        String maxHeap,
        String maxHeapSource,
        int processors,
        String processorsSource) {

    public ProcessInfo {
        metrics = List.copyOf(metrics);
        history = List.copyOf(history);
    }

    /** One restart: when, how the process had ended, and how long the back-off waited. */
    public record RestartRecord(long atEpochMs, String exit, long delayMs) { }
}
