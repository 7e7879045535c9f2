package dev.clusterservers.shareports;

import java.time.Duration;
import java.time.Instant;

/** The master's view of one worker process: which slot it fills, its pid, since when. */
final class WorkerHandle {
    private final int slot;
    private final Process process;
    private final Instant startedAt = Instant.now();

    WorkerHandle(int slot, Process process) {
        this.slot = slot;
        this.process = process;
    }

    int slot() {
        return slot;
    }

    long pid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    Duration uptime() {
        return Duration.between(startedAt, Instant.now());
    }

    /** Graceful: SIGTERM; the worker drains and exits. */
    void stop() {
        process.destroy();
    }

    /** Forced: SIGKILL. */
    void kill() {
        process.destroyForcibly();
    }

    @Override
    public String toString() {
        return "worker " + slot + " (PID " + pid() + ")";
    }
}
