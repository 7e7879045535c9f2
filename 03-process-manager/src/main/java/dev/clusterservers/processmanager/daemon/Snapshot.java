package dev.clusterservers.processmanager.daemon;

import dev.clusterservers.processmanager.config.AppSpec;
import dev.clusterservers.processmanager.config.HeapSize;
import dev.clusterservers.processmanager.config.ProcessorShare;
import dev.clusterservers.processmanager.proc.ProcStats;
import dev.clusterservers.processmanager.protocol.ProcessInfo;
import java.util.List;

/** Turns the daemon's view of an instance into the row {@code list} and {@code describe} show. */
final class Snapshot {
    private Snapshot() {
    }

    static ProcessInfo of(Instance instance, ProcStats stats) {
        AppSpec spec = instance.app().spec();
        InstanceHandle child = instance.current();
        long pid = child == null ? 0 : child.pid();
        HeapSize.Choice heap = HeapSize.of(spec);
        ProcessorShare.Choice processors = ProcessorShare.of(spec, Runtime.getRuntime().availableProcessors());
        return new ProcessInfo(
                instance.id(),
                spec.name(),
                spec.execMode().word(),
                pid,
                child == null ? 0 : child.uptimeMs(),
                instance.restarts(),
                instance.policy().unstableRestarts(),
                instance.status().word(),
                child == null ? 0 : stats.cpuPercent(pid),
                child == null ? 0 : ProcStats.residentBytes(pid),
                child == null ? System.getProperty("user.name") : child.user(),
                spec.script().target(),
                spec.cwd(),
                spec.port(),
                instance.out().path().toString(),
                instance.err().path().toString(),
                child == null ? null : child.jvm(),
                child == null ? List.of() : child.metrics(),
                instance.history(),
                heap.size(),
                heap.source(),
                processors.processors(),
                processors.source());
    }
}
